"""Volunteers check and correct stands at markets, and import them: the Modérateurs group gets the rights on them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Modérateurs"
CODENAMES = ["view_attendance", "add_attendance", "change_attendance", "delete_attendance"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the group needs them now.
    app_config = apps.get_app_config("producers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="producers", codename__in=CODENAMES))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="producers", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0015_market_suggestions"),
        ("producers", "0019_markets"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
