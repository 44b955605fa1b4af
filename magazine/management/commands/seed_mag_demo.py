"""Demo articles for the Mag, and a notice pinned on a department page: `manage.py seed_mag_demo [--if-empty]`.

`make run` calls it after seed_demo, so /mag/ is never an empty page on a fresh install. Texts are written by hand:
the Mag is what visitors read first, and generated prose would not read like it.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from magazine.models import Article, ArticleCategory, DepartmentNotice
from producers.models import Department, Listing

AUTHORS = ["Camille Martin", "Lucie Bernard", "Thomas Moreau", "Inès Garnier"]

ARTICLES = [
    {
        "title": "Le marché de Chalonnes-sur-Loire passe à l'heure d'hiver",
        "standfirst": "Les producteurs s'installent désormais sous la halle, le mardi de 8 h à 12 h 30.",
        "body": """Depuis début novembre, le marché du mardi quitte les quais pour la halle : moins de vent, et les
étals de légumes d'hiver à l'abri.

## Qui vient ?

Une quinzaine de producteurs : maraîchers, fromagère, boulanger, apiculteur et un vigneron des coteaux du Layon.
Les paniers commandés la veille se retirent au stand d'accueil.

## Pratique

Le parking de la mairie est gratuit le matin. Pensez à vos sacs et à vos boîtes : plusieurs étals servent en
vrac.""",
        "category": "vie-locale",
        "departments": ["49"],
        "days_ago": 2,
        "notice": True,
    },
    {
        "title": "Portrait : Élise, maraîchère à Saint-Barthélemy-d'Anjou",
        "standfirst": "Sur un hectare et demi, elle cultive une quarantaine de légumes sans pesticides de synthèse.",
        "body": """Élise s'est installée en 2019 sur d'anciennes terres de pépinière, aux portes d'Angers.

## Des légumes de saison, vraiment

« En janvier, ce sont des poireaux, des choux et des courges, pas des tomates », sourit-elle. Ses clients
l'ont suivie : une soixantaine de paniers partent chaque semaine.

## Vendre en direct

Le vendredi soir, la ferme ouvre sa boutique ; le samedi, Élise tient un étal au marché. « Je connais mes
clients par leur prénom, et eux savent comment je travaille. »""",
        "category": "portraits",
        "departments": ["49"],
        "days_ago": 9,
    },
    {
        "title": "Acheter en direct : cinq questions à poser au producteur",
        "standfirst": "Saison, mode de culture, conservation : ce qu'il est utile de savoir avant d'acheter.",
        "body": """Acheter directement à la ferme, c'est aussi pouvoir poser des questions. Voici celles que les
producteurs entendent le plus volontiers.

## Qu'est-ce qui est de saison en ce moment ?

La réponse change chaque mois, et c'est le meilleur moyen de découvrir des variétés oubliées.

## Comment conserver ce que j'achète ?

Les légumes racines se gardent au frais et au sec, les salades dans un linge humide.

## Peut-on commander à l'avance ?

Beaucoup proposent un retrait de commandes : c'est indiqué sur leur fiche, rubrique « Comment acheter ».""",
        "category": "pratique",
        "departments": [],
        "days_ago": 15,
    },
    {
        "title": "Portes ouvertes dans les chais de Gironde ce printemps",
        "standfirst": "Une trentaine de vignerons accueillent le public, avec dégustation et visite des vignes.",
        "body": """Chaque année, les vignerons indépendants ouvrent leurs chais un week-end d'avril.

## Au programme

Visite des vignes, dégustation commentée et rencontre avec celles et ceux qui font le vin. Plusieurs domaines
proposent aussi un casse-croûte de produits locaux.

## S'y rendre

Covoiturez : les domaines sont souvent loin des gares, et on ne conduit pas après une dégustation.""",
        "category": "evenements",
        "departments": ["33"],
        "days_ago": 21,
    },
    {
        "title": "Les monnaies locales, comment ça marche ?",
        "standfirst": "La Muse, la Gemme, l'Abeille… Des billets pour faire vivre les commerces du coin.",
        "body": """Une monnaie locale complémentaire s'échange à parité avec l'euro, dans un réseau de commerces et de
producteurs engagés.

## Où en trouver ?

Dans les comptoirs d'échange, souvent une librairie, une épicerie ou une association. Les fiches de l'annuaire
indiquent les monnaies acceptées.

## Pourquoi ?

L'argent reste dans l'économie locale plutôt que de partir vers les marchés financiers.""",
        "category": "pratique",
        "departments": [],
        "days_ago": 34,
    },
]


class Command(BaseCommand):
    help = "Create demo articles for the Mag, and a notice pinned on a department page."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any article already exists.")

    @transaction.atomic
    def handle(self, *args, if_empty=False, **options):
        if if_empty and Article.objects.exists():
            self.stdout.write("Articles already exist: nothing to seed.")
            return
        now = timezone.now()
        departments = {d.code: d for d in Department.objects.filter(code__in={"49", "33"})}
        categories = {c.slug: c for c in ArticleCategory.objects.all()}
        created = 0
        for index, data in enumerate(ARTICLES):
            article = Article.objects.create(
                title=data["title"],
                standfirst=data["standfirst"],
                body=data["body"],
                author_name=AUTHORS[index % len(AUTHORS)],
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(days=data["days_ago"], hours=index),
            )
            if data["category"] in categories:
                article.categories.add(categories[data["category"]])
            chosen = [departments[code] for code in data["departments"] if code in departments]
            article.departments.set(chosen)
            if chosen:
                nearby = Listing.objects.published().filter(department__in=chosen).order_by("?")[:3]
                article.listings.set(nearby)
            if data.get("notice") and chosen:
                DepartmentNotice.objects.create(
                    article=article, department=chosen[0], pinned_until=now + datetime.timedelta(days=365)
                )
            created += 1
        self.stdout.write(self.style.SUCCESS(f"Created {created} demo articles of the Mag."))
