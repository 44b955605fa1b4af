"""The Mag's starting categories, and the "Rédaction" group with rights on the Mag's models only."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CATEGORIES = [
    ("Vie locale", "vie-locale"),
    ("Portraits", "portraits"),
    ("Pratique", "pratique"),
    ("Événements", "evenements"),
]
EDITORS_GROUP = "Rédaction"
MODELS = ["article", "articlecategory", "departmentnotice"]
ACTIONS = ["add", "change", "delete", "view"]


def seed_categories(apps, schema_editor):
    ArticleCategory = apps.get_model("magazine", "ArticleCategory")
    for position, (name, slug) in enumerate(CATEGORIES):
        ArticleCategory.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); the group needs them now.
    app_config = apps.get_app_config("magazine")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="magazine", codename__in=codenames))


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("magazine", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seed_categories, migrations.RunPython.noop),
        migrations.RunPython(create_editors_group, remove_editors_group),
    ]
