"""French full-text search of listings (producers/search/): the same answers on SQLite and PostgreSQL.

The whole module runs on both databases (`make test`): the table below is the contract of issue 10 §2.
"""

import random

import pytest

from producers.filters import ListingFilter
from producers.models import Category, Listing
from producers.search import terms
from producers.search.analysis import stems
from producers.search.synonyms import read_groups
from tests.factories import CategoryFactory, ListingFactory

HONEY, DAIRY = "Miel et produits de la ruche", "Produits laitiers et fromages"


@pytest.fixture
def corpus(towns):
    honey, dairy, shop = (Category.objects.get(name=name) for name in [HONEY, DAIRY, "Épicerie"])
    rows = [
        ("Le Miel de Julie", "", "Récolté à la main.", []),
        ("Ferme des Trois Chênes", "", "Nous vendons nos miels et nos œufs.", []),
        ("Jean, apiculteur", "", "Pollen et propolis.", []),
        ("La Ruche Dorée", "", "Bougies en cire.", [honey]),
        ("Vinaigrerie Martin", "", "Vinaigre de cidre.", []),
        ("Chez Vincent", "", "Produits du terroir.", [shop]),
        ("Épicerie de Vinezac", "", "Épicerie fine.", [shop]),
        ("Domaine des Lys", "", "Vins de Loire en biodynamie.", []),
        ("Élise, vigneronne", "", "Cépages anciens.", []),
        ("La Boulangère du Port", "", "Au levain, cuit au feu de bois.", []),
        ("Fournil Saint-Jean", "", "Pains au levain.", []),
        ("Bréhéret", "Chèvre affiné à cœur", "", [dairy]),
        ("Les Jardins de Paul", "Maraîcher bio", "Légumes de saison.", []),
    ]
    for name, short, description, categories in rows:
        ListingFactory(name=name, short_description=short, description=description, categories=categories)


def search(query, **data):
    return [listing.name for listing in ListingFilter({"q": query, **data}, queryset=Listing.objects.published()).qs]


# (query, the names expected, best first): rank = words found in the name or categories, then the name's order.
TABLE = [
    # Plural and singular both ways; the name and categories before the description.
    ("miel", ["Jean, apiculteur", "La Ruche Dorée", "Le Miel de Julie", "Ferme des Trois Chênes"]),
    ("miels", ["Jean, apiculteur", "La Ruche Dorée", "Le Miel de Julie", "Ferme des Trois Chênes"]),
    ("MIEL", ["Jean, apiculteur", "La Ruche Dorée", "Le Miel de Julie", "Ferme des Trois Chênes"]),
    ("apicultrice", ["Jean, apiculteur", "La Ruche Dorée", "Le Miel de Julie", "Ferme des Trois Chênes"]),
    # Whole words: "vin" is not vinaigre, Vincent or Vinezac; a vigneronne makes wine.
    ("vin", ["Élise, vigneronne", "Domaine des Lys"]),
    ("vins", ["Élise, vigneronne", "Domaine des Lys"]),
    ("vigneron", ["Élise, vigneronne", "Domaine des Lys"]),
    ("viticultrice", ["Élise, vigneronne", "Domaine des Lys"]),
    ("vinaigre", ["Vinaigrerie Martin"]),
    ("Vincent", ["Chez Vincent"]),
    # Feminine and masculine; the baker's synonyms (pain, fournil).
    ("boulanger", ["Fournil Saint-Jean", "La Boulangère du Port"]),
    ("boulangère", ["Fournil Saint-Jean", "La Boulangère du Port"]),
    ("BOULANGERES", ["Fournil Saint-Jean", "La Boulangère du Port"]),
    ("pain", ["Fournil Saint-Jean", "La Boulangère du Port"]),
    ("levain", ["Fournil Saint-Jean", "La Boulangère du Port"]),
    # Accents and case, in the query or the listing.
    ("breheret", ["Bréhéret"]),
    ("chevre COEUR", ["Bréhéret"]),
    ("chèvres", ["Bréhéret"]),
    ("fromagère", ["Bréhéret"]),
    ("chene", ["Ferme des Trois Chênes"]),
    ("oeufs", ["Ferme des Trois Chênes"]),
    # Synonyms for trades and products.
    ("légume", ["Les Jardins de Paul"]),
    ("maraîchère", ["Les Jardins de Paul"]),
    ("cire apiculteur", ["La Ruche Dorée"]),
    # Every word must be found; function words need not be.
    ("la ferme du chêne", ["Ferme des Trois Chênes"]),
    ("vin miel", []),
    ("épicerie", ["Chez Vincent", "Épicerie de Vinezac"]),
    ("atlantide", []),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), TABLE, ids=[query for query, _ in TABLE])
def test_search_table(corpus, query, expected):
    assert search(query) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "!!!",
        "'",
        '"',
        "%",
        "_",
        "&|!():*<->",
        "' OR 1=1 --",
        "miel'); DROP TABLE producers_listing; --",
        "\x00",
        " ".join(f"mot{i}" for i in range(600)),
        "x" * 5000,
    ],
)
def test_odd_queries_are_answered(corpus, client, maine_et_loire, query):
    found = search(query)
    assert set(found) <= set(Listing.objects.values_list("name", flat=True))
    for url in [maine_et_loire.get_absolute_url(), maine_et_loire.get_absolute_url() + "carte.geojson"]:
        assert client.get(url, {"q": query}).status_code == 200


def test_a_query_without_any_word_filters_nothing(corpus):
    everything = [listing.name for listing in Listing.objects.published()]
    assert search("!!!") == search("le la de") == search("") == everything


def test_a_long_query_keeps_its_first_words(corpus):
    assert search("miel " * 300) == search("miel")
    assert search("propolis " + " ".join(f"mot{i}" for i in range(600))) == []
    assert len(terms(" ".join(f"mot{i}" for i in range(600)))) == 8


def test_relevance_comes_before_distance(towns):
    ListingFactory(name="Ferme de Saint-Barthélemy", description="Du miel.", commune=towns["st_barthelemy"])
    ListingFactory(name="Miel d'Avrillé", commune=towns["avrille"])
    ListingFactory(name="Ferme d'Angers", description="Du miel.", commune=towns["angers"])
    around_angers = {"commune": "Angers", "distance": "10"}
    assert search("", **around_angers) == ["Ferme d'Angers", "Ferme de Saint-Barthélemy", "Miel d'Avrillé"]
    assert search("miel", **around_angers) == ["Miel d'Avrillé", "Ferme d'Angers", "Ferme de Saint-Barthélemy"]


@pytest.mark.django_db
class TestDocumentsStayCurrent:
    def test_a_renamed_listing_is_found_by_its_new_name(self, towns):
        listing = ListingFactory(name="Ferme du Pré", short_description="")
        listing.name = "Cidrerie du Pré"
        listing.save()
        assert search("cidre") == ["Cidrerie du Pré"]
        listing.description = "Jus de pomme"
        listing.save(update_fields=["description"])
        assert search("pommes") == ["Cidrerie du Pré"]

    def test_categories_added_removed_from_either_side(self, towns):
        honey = Category.objects.get(name=HONEY)
        listing = ListingFactory(name="Les Abeilles", short_description="")
        assert search("ruches") == []
        listing.categories.add(honey)
        assert search("ruches") == ["Les Abeilles"]
        listing.categories.remove(honey)
        assert search("ruches") == []
        honey.listings.add(listing)
        assert search("ruches") == ["Les Abeilles"]
        honey.listings.clear()
        assert search("ruches") == []

    def test_a_renamed_or_deleted_category(self, towns):
        category = CategoryFactory(name="Confitures")
        ListingFactory(name="Les Abeilles", short_description="", categories=[category])
        category.name = "Gelées"
        category.save()
        assert search("gelée") == ["Les Abeilles"]
        assert search("confiture") == []
        Category.objects.filter(pk=category.pk).delete()
        assert search("gelée") == []

    def test_the_reindex_command_rebuilds_every_document(self, towns):
        from django.core.management import call_command

        ListingFactory(name="Les Abeilles", short_description="", categories=[Category.objects.get(name=HONEY)])
        Listing.objects.update(search_title="", search_body="")
        assert search("miel") == []
        call_command("reindex_search", verbosity=0)
        assert search("miel") == ["Les Abeilles"]


def test_pending_listings_are_never_found(towns):
    ListingFactory(name="Le Miel caché", status=Listing.Status.PENDING)
    ListingFactory(name="Le Miel publié")
    assert search("miel") == ["Le Miel publié"]


def test_the_database_answers_what_the_stems_say(towns):
    """Random listings and queries: the database's answer (instr on SQLite, tsvector on PostgreSQL) equals the
    whole-word test done here in Python over the stored stems, so both databases give the same answers."""
    rng = random.Random(10)
    vocabulary = "miel miels vin vins vinaigre boulangère pain chèvre œuf ferme bio légumes cidre 12abc a1".split()
    for _ in range(60):
        ListingFactory(
            name=" ".join(rng.sample(vocabulary, 2)),
            short_description="",
            description=" ".join(rng.sample(vocabulary, 4)),
        )
    documents = {
        listing.pk: (set(listing.search_title.split()), set(listing.search_title.split() + listing.search_body.split()))
        for listing in Listing.objects.all()
    }
    for _ in range(40):
        query = " ".join(rng.sample(vocabulary, rng.choice([1, 1, 2])))
        found = list(Listing.objects.search(query).values_list("pk", "search_rank"))
        expected = {
            pk: sum(bool(title & set(term)) for term in terms(query))
            for pk, (title, words) in documents.items()
            if all(words & set(term) for term in terms(query))
        }
        assert dict(found) == expected, query
        assert [rank for _, rank in found] == sorted((rank for _, rank in found), reverse=True)


def test_the_synonyms_file_is_read_as_stems():
    groups = read_groups()
    assert {"vigneron", "viticulteur", "vin"} <= next(g for g in groups if "vin" in g)
    assert set(stems("apiculteur miel")) <= next(g for g in groups if "miel" in g)


def test_a_synonym_that_is_not_one_word_is_refused(tmp_path):
    bad = tmp_path / "synonyms.csv"
    bad.write_text("# comment\nvin,vigneron\npain,la\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'la'"):
        read_groups(bad)


def test_the_list_and_the_map_find_the_same_in_a_constant_number_of_queries(client, towns, maine_et_loire, settings):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page, geojson = maine_et_loire.get_absolute_url(), maine_et_loire.get_absolute_url() + "carte.geojson"
    query = {"q": "fermes légume", "commune": "angers", "distance": "20"}
    settings.LISTINGS_PER_PAGE = 20

    def measure():
        cache.clear()  # cards and filter choices are cached: measure what the first visitor's page costs
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page, query).content.decode()
        with CaptureQueriesContext(connection) as map_queries:
            features = client.get(geojson, query).json()["features"]
        return len(queries), len(map_queries), html.count('class="card"'), len(features)

    def build(n):
        for i in range(n):
            ListingFactory(name=f"Ferme {i}", short_description="Légumes", commune=towns["avrille"])
            ListingFactory(name=f"Cave {i}", short_description="Vins", commune=towns["avrille"])

    build(2)
    measure()  # builds this process's index of place names once
    small = measure()
    build(20)
    large = measure()
    assert small[2:] == (2, 2)
    assert large[2:] == (20, 22)  # the list is paginated, the map is not
    assert small[:2] == large[:2]


def test_volunteers_search_the_admin_list_like_shoppers_plus_emails(client, towns):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    ListingFactory(name="Les Abeilles", description="Nos miels", status=Listing.Status.PENDING)
    ListingFactory(name="Cave", email="contact@cave.fr")
    ListingFactory(name="Vinaigrerie", description="Vinaigre")
    url = "/admin/producers/listing/"
    for query, expected in [("MIEL", "Les Abeilles"), ("contact@cave", "Cave"), ("vinaigre", "Vinaigrerie")]:
        html = client.get(url, {"q": query}).content.decode()
        assert expected in html, query
        assert html.count('class="field-name"') == 1, query


def test_a_huge_description_is_saved_and_found(towns):
    # 150,000 distinct words make a 1.6 MB tsvector: PostgreSQL's limit is 1 MB, and the index entry is built on save.
    words = " ".join(f"w{i}" for i in range(150_000))
    ListingFactory(name="Bavarde", short_description="", description=f"miel {words}")
    assert search("miel") == ["Bavarde"]


def test_the_upgrade_indexes_the_english_category_names_of_existing_listings(towns):
    """0011 gave the taxonomy English names with update(), which sends no signal; 0012 rebuilds the documents."""
    import importlib

    from django.apps import apps

    honey = Category.objects.get(name=HONEY)
    ListingFactory(name="La Ruche Dorée", categories=[honey])
    # As the listing stood before 0011: a document built from the French name only.
    Listing.objects.update(search_title="rucher dore", search_body="")
    assert search("honey") == []

    importlib.import_module("producers.migrations.0012_search_documents_with_english_names").refill(apps, None)

    assert honey.name_en == "Honey and hive products"
    assert search("honey") == ["La Ruche Dorée"]
