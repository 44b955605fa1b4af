"""Seed the taxonomy: categories and delivery modes are data, edited afterwards in the admin."""

from django.db import migrations

CATEGORIES = [
    ("fruits-legumes", "Fruits et légumes"),
    ("viande", "Viande et volaille"),
    ("poisson", "Poisson et fruits de mer"),
    ("produits-laitiers-fromages", "Produits laitiers et fromages"),
    ("oeufs", "Œufs"),
    ("pain-patisserie", "Pain et pâtisserie"),
    ("boissons", "Boissons (vin, bière, cidre, jus)"),
    ("miel", "Miel et produits de la ruche"),
    ("epicerie", "Épicerie"),
    ("plats-cuisines", "Plats cuisinés et traiteur"),
    ("plantes-fleurs", "Plantes et fleurs"),
    ("artisanat", "Artisanat"),
    ("vetements-accessoires", "Vêtements et accessoires"),
    ("bijoux", "Bijoux"),
    ("mobilier-decoration", "Mobilier et décoration"),
    ("jeux-jouets", "Jeux et jouets"),
    ("cosmetiques", "Cosmétiques et bien-être"),
    ("livres-papeterie", "Livres et papeterie"),
    ("art", "Art et créations"),
]

DELIVERY_MODES = [
    ("on-site", "Vente sur place"),
    ("click-and-collect", "Retrait de commandes (click & collect)"),
    ("home-delivery", "Livraison à domicile"),
    ("shipping", "Envoi postal"),
    ("markets", "Sur les marchés"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("producers", "Category")
    DeliveryMode = apps.get_model("producers", "DeliveryMode")
    for position, (slug, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
    for position, (code, name) in enumerate(DELIVERY_MODES):
        DeliveryMode.objects.get_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("producers", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
