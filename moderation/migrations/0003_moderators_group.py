"""The "Modérateurs" group: what volunteers need to review the queue, and nothing of auth.*."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Modérateurs"
PERMISSIONS = [
    ("producers", "view_listing"),
    ("producers", "change_listing"),
    ("producers", "view_listingphoto"),
    ("producers", "change_listingphoto"),
    ("producers", "delete_listingphoto"),
    ("producers", "view_listingdelivery"),
    ("producers", "change_listingdelivery"),
    ("producers", "add_listingdelivery"),
    ("producers", "delete_listingdelivery"),
    ("producers", "view_commune"),
    ("moderation", "view_pendinglisting"),
    ("moderation", "change_pendinglisting"),
    ("moderation", "view_revision"),
    ("moderation", "change_revision"),
    ("moderation", "view_errorreport"),
    ("moderation", "change_errorreport"),
    ("moderation", "view_decision"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this group needs them now.
    for app_label in ("producers", "moderation"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("producers", "0004_listing_external_id"),
        ("moderation", "0002_pending_listing"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
