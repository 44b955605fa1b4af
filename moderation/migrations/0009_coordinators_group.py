"""The "Coordinateurs" group: they set volunteers' departments and digest (ModeratorProfile), and nothing else.

Their accounts are read-only to them in the User admin (moderation/admin/users.py): the group cannot raise rights.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Coordinateurs"
PERMISSIONS = ["add_moderatorprofile", "change_moderatorprofile", "view_moderatorprofile"]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this group needs them now.
    app_config = apps.get_app_config("moderation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="moderation", codename__in=PERMISSIONS)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0008_moderator_profile"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
