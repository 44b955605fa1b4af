"""The directory's filters: each alone, combined, and distance ordering, on SQLite and PostgreSQL."""

import datetime
import re
import threading
from zoneinfo import ZoneInfo

import django_filters
import pytest
from django.core.cache import cache
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import translation

from producers import reference
from producers.filters import ListingFilter, MarketFilter, resolve_commune
from producers.models import Department, Listing
from producers.templatetags import directory
from tests.factories import CategoryFactory, ListingFactory, LocalCurrencyFactory, delivery_mode

PARIS = ZoneInfo("Europe/Paris")
EVERY_FILTER = {
    "q": "ferme",
    "commune": "angers",
    "distance": "10",
    "category": "legumes",
    "kind": "shop",
    "delivery": "on-site",
    "currency": "la-muse",
    "open_now": "on",
}


def names(data, department=None, queryset=None):
    queryset = queryset if queryset is not None else Listing.objects.published()
    return [listing.name for listing in ListingFilter(data, queryset=queryset, department=department).qs]


@pytest.mark.django_db
class TestTown:
    def test_it_resolves_names_without_accents_case_or_abbreviation(self, towns):
        for typed in ["saint barthelemy d'anjou", "St-Barthélemy", "SAINT-BARTHELEMY-D ANJOU", "49124"]:
            assert resolve_commune(typed) == towns["st_barthelemy"], typed
        assert resolve_commune("angers") == towns["angers"]
        assert resolve_commune("Angers (49)") == towns["angers"]
        assert resolve_commune("49100") == towns["angers"]

    def test_it_knows_nothing_of_an_unknown_town(self, towns):
        assert resolve_commune("Atlantide") is None
        data = {"commune": "Atlantide"}
        filterset = ListingFilter(data, queryset=Listing.objects.published())
        assert list(filterset.qs) == []
        assert filterset.town_not_found

    def test_town_alone_keeps_that_town(self, towns):
        ListingFactory(name="In Angers", commune=towns["angers"])
        ListingFactory(name="In Avrillé", commune=towns["avrille"])
        assert names({"commune": "angers"}) == ["In Angers"]

    def test_distance_keeps_nearby_listings_sorted_by_distance(self, towns):
        # Avrillé is ~4.3 km from Angers' centre, Cholet ~52 km, Bordeaux ~290 km.
        ListingFactory(name="Cholet farm", commune=towns["cholet"])
        # ~2.2 km north of the centre
        ListingFactory(name="Far in Angers", commune=towns["angers"], latitude=47.4711 + 0.02, longitude=-0.5518)
        ListingFactory(name="Centre of Angers", commune=towns["angers"])
        ListingFactory(name="Bordeaux shop", commune=towns["bordeaux"])
        ListingFactory(name="Avrillé bakery", commune=towns["avrille"])
        assert names({"commune": "angers", "distance": "5"}) == ["Centre of Angers", "Far in Angers", "Avrillé bakery"]
        ListingFactory(name="Farm 30 km north", commune=towns["angers"], latitude=47.4711 + 0.27, longitude=-0.5518)
        assert names({"commune": "Angers (49)", "distance": "50"}) == [
            "Centre of Angers",
            "Far in Angers",
            "Avrillé bakery",
            "Farm 30 km north",
        ]

    def test_an_unknown_distance_is_an_error_next_to_the_field(self, towns):
        filterset = ListingFilter({"commune": "angers", "distance": "7"}, queryset=Listing.objects.published())
        filterset.qs  # noqa: B018 - evaluates the form
        assert "distance" in filterset.errors

    def test_an_empty_result_offers_a_wider_distance(self, towns):
        filterset = ListingFilter({"commune": "angers", "distance": "10"}, queryset=Listing.objects.published())
        assert list(filterset.qs) == []
        assert filterset.wider_distance == 20


@pytest.mark.django_db
class TestOtherFilters:
    def test_category(self, towns):
        vegetables, bread = CategoryFactory(name="Légumes"), CategoryFactory(name="Pain")
        ListingFactory(name="Veg", categories=[vegetables])
        ListingFactory(name="Both", categories=[vegetables, bread])
        ListingFactory(name="Bread", categories=[bread])
        assert names({"category": vegetables.slug}) == ["Both", "Veg"]

    def test_kind(self, towns):
        ListingFactory(name="Shop", kind=Listing.Kind.SHOP)
        ListingFactory(name="Farm", kind=Listing.Kind.PRODUCER)
        assert names({"kind": "shop"}) == ["Shop"]

    def test_delivery_mode(self, towns):
        delivering = ListingFactory(name="Delivers")
        delivering.deliveries.create(mode=delivery_mode("home-delivery"), details="Angers et alentours")
        delivering.deliveries.create(mode=delivery_mode("on-site"))
        ListingFactory(name="On site only").deliveries.create(mode=delivery_mode("on-site"))
        assert names({"delivery": "home-delivery"}) == ["Delivers"]
        assert names({"delivery": "on-site"}) == ["Delivers", "On site only"]

    def test_local_currency(self, towns, maine_et_loire):
        muse = LocalCurrencyFactory()
        muse.departments.add(maine_et_loire)
        ListingFactory(name="Takes La Muse").currencies.add(muse)
        ListingFactory(name="Euros only")
        assert names({"currency": "la-muse"}) == ["Takes La Muse"]

    def test_currency_choices_are_those_of_the_department(self, towns, maine_et_loire):
        LocalCurrencyFactory().departments.add(maine_et_loire)
        LocalCurrencyFactory(name="Eusko", slug="eusko")
        filterset = ListingFilter({}, queryset=Listing.objects.published(), department=maine_et_loire)
        assert [slug for slug, _label in filterset.form.fields["currency"].choices if slug] == ["la-muse"]

    def test_free_text_ignores_accents_and_case_on_every_backend(self, towns):
        ListingFactory(name="Fromagerie Bréhéret", description="Chèvre affiné à cœur")
        ListingFactory(name="Boulangerie", description="Pain au levain")
        assert names({"q": "BREHERET"}) == ["Fromagerie Bréhéret"]
        assert names({"q": "chevre coeur"}) == ["Fromagerie Bréhéret"]
        assert names({"q": "levain"}) == ["Boulangerie"]
        assert names({"q": "chèvre levain"}) == []

    def test_open_now(self, towns, monkeypatch):
        tuesday_10h = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
        monkeypatch.setattr("django.utils.timezone.now", lambda: tuesday_10h)
        ListingFactory(name="Open", opening_hours="Mo-Fr 09:00-12:00")
        ListingFactory(name="Afternoon", opening_hours="Mo-Fr 14:00-18:00")
        ListingFactory(name="No hours", opening_hours="")
        assert names({"open_now": "on"}) == ["Open"]
        assert len(names({})) == 3

    def test_filters_combine(self, towns):
        vegetables = CategoryFactory(name="Légumes")
        ListingFactory(name="Veg shop near", kind=Listing.Kind.SHOP, categories=[vegetables], commune=towns["avrille"])
        ListingFactory(name="Veg farm near", categories=[vegetables], commune=towns["avrille"])
        ListingFactory(name="Veg shop far", kind=Listing.Kind.SHOP, categories=[vegetables], commune=towns["cholet"])
        data = {"commune": "angers", "distance": "10", "category": vegetables.slug, "kind": "shop"}
        assert names(data) == ["Veg shop near"]

    @pytest.mark.parametrize(
        "query",
        [
            {"q": "ferme"},
            {"commune": "angers", "distance": "50"},
            {"commune": "angers"},
            {"category": "legumes"},
            {"kind": "shop"},
            {"delivery": "on-site"},
            {"currency": "la-muse"},
            {"open_now": "on"},
            EVERY_FILTER,
        ],
    )
    def test_pending_listings_never_come_through_filters(self, client, towns, maine_et_loire, monkeypatch, query):
        """Four listings alike in everything a filter looks at but their status: the list and the map show one."""
        monkeypatch.setattr("django.utils.timezone.now", lambda: datetime.datetime(2026, 11, 24, 10, tzinfo=PARIS))
        vegetables = CategoryFactory(name="Légumes", slug="legumes")
        muse = LocalCurrencyFactory()
        muse.departments.add(maine_et_loire)
        for status in Listing.Status:
            listing = ListingFactory(
                name=f"Ferme {status.value}", kind=Listing.Kind.SHOP, categories=[vegetables], status=status
            )
            listing.deliveries.create(mode=delivery_mode("on-site"))
            listing.currencies.add(muse)
        url = maine_et_loire.get_absolute_url()
        html = client.get(url, query).content.decode()
        assert re.findall(r">(Ferme \w+)</a>", html) == ["Ferme published"]
        assert len(client.get(url + "carte.geojson", query).json()["features"]) == 1


def filter_forms(client, pages):
    """The filter form of each page, in turn, as one process renders them (no form taken from the cache)."""
    cache.clear()
    forms = []
    for url, params in pages:
        html = client.get(url, params).content.decode()
        parts = re.findall(r'<div class="error-summary".*?</div>|<form class="filters.*?</form>', html, re.DOTALL)
        assert parts, url
        forms.append("".join(parts))
    return forms


class BoundShown:
    """A BoundField as includes/filters.html read it before producers.templatetags.directory.filter_fields()."""

    def __init__(self, field):
        self.field = field

    def __getattr__(self, name):
        return getattr(self.field, name)

    @property
    def control(self):
        return directory.filter_control(self.field)


@pytest.mark.django_db
def test_the_filter_form_is_the_one_django_filter_builds_for_each_request(client, towns, maine_et_loire, monkeypatch):
    """The form's class is built once per process, not for each request, its fields' labels, ids and choices kept
    per language: pages asked in turn (two departments with their own currencies, a value the page refuses, every
    filter, English, the markets' form, the national list's currencies, text to escape) show the very form
    django-filter's own class gives them, read from its BoundFields, each choice as Django iterates it, its
    controls' attributes written as Django's flatatt() writes them."""
    gironde = Department.objects.get(code="33")
    LocalCurrencyFactory().departments.add(maine_et_loire)
    LocalCurrencyFactory(name="Eusko", slug="eusko").departments.add(gironde)
    CategoryFactory(slug="legumes")
    anjou, gironde_url = maine_et_loire.get_absolute_url(), gironde.get_absolute_url()
    with translation.override("en"):
        english = maine_et_loire.get_absolute_url()
    markets = reverse("producers:department_markets", kwargs={"code": "49", "slug": maine_et_loire.slug})
    pages = [
        (anjou, {}),
        (gironde_url, {"currency": "eusko"}),
        (anjou, {"currency": "eusko", "kind": "shop"}),
        (anjou, EVERY_FILTER),
        (english, {"category": "legumes", "distance": "20", "commune": "Avrillé"}),
        (markets, {"commune": "Angers", "distance": "5"}),
        (gironde_url, {}),
        ("/carte/", {"kind": "shop"}),  # no department: every currency
        (anjou, {"q": 'pain "bio" <&> \'', "distance": "7"}),  # escaped, and a distance refused
    ]
    shipped = filter_forms(client, pages)
    assert 'value="eusko" selected' in shipped[1] and "eusko" not in shipped[0]
    assert "error-summary" in shipped[2] and "error-summary" not in shipped[1]  # eusko is no currency of Anjou
    assert "la-muse" in shipped[0] and "la-muse" not in shipped[6]
    assert "la-muse" in shipped[7] and "eusko" in shipped[7]
    assert "Local currency" in shipped[4] and "Monnaie locale" in shipped[0]
    assert 'name="currency"' not in shipped[5]  # the markets' form has the town and the distance only
    monkeypatch.setattr(ListingFilter, "get_form_class", django_filters.FilterSet.get_form_class)
    # and each filterset's filters copied as django-filter copies them (deep copies, not producers.filters._Filters)
    monkeypatch.setattr(ListingFilter, "base_filters", dict(ListingFilter.base_filters))
    monkeypatch.setattr(MarketFilter, "base_filters", dict(MarketFilter.base_filters))
    monkeypatch.setattr(directory, "_attributes", flatatt)
    # and the template reading each BoundField (not filter_fields()'s dictionaries), every choice as Django gives it
    monkeypatch.setattr(directory, "_fields", lambda form: [BoundShown(field) for field in form])
    monkeypatch.setattr(directory, "_choices", lambda field: tuple((str(c), str(label)) for c, label in field.choices))
    monkeypatch.setattr(reference, "_kept_choices", lambda name, terms, make: [make(term) for term in terms])
    assert filter_forms(client, pages) == shipped
    assert 'value="pain &quot;bio&quot; &lt;&amp;&gt; &#x27;"' in shipped[8] and 'aria-invalid="true"' in shipped[8]


@pytest.mark.django_db
def test_each_filterset_filters_with_its_own_filters(towns, maine_et_loire):
    """Filtersets share their class's filters' labels and choices, never what a request sets: two pages built in
    turn each find their own town, and each runs its own methods."""
    ListingFactory(name="Près", commune=towns["avrille"])
    ListingFactory(name="Loin", commune=towns["cholet"])
    gironde = Department.objects.get(code="33")
    published = Listing.objects.published()
    anjou = ListingFilter({"commune": "Angers", "distance": "10"}, queryset=published, department=maine_et_loire)
    elsewhere = ListingFilter({"commune": "Cholet", "distance": "5"}, queryset=published, department=gironde)
    assert [listing.name for listing in anjou.qs] == ["Près"]
    assert anjou.town.commune == towns["angers"] and elsewhere.town is None
    assert [listing.name for listing in elsewhere.qs] == ["Loin"]
    assert elsewhere.town.commune == towns["cholet"] and elsewhere.town_elsewhere and not anjou.town_elsewhere
    assert not hasattr(ListingFilter.base_filters["commune"], "parent")


def controls(filterset):
    return "".join(directory.filter_control(filterset.form[name]) for name in filterset.form.fields)


@pytest.mark.django_db
def test_each_form_has_its_own_fields(towns, maine_et_loire):
    """A form's fields are copies of its class's (producers.filters._Fields, cheaper than Django's deep copy): what
    a request sets on its own (its department's currencies, an attribute) reaches neither another form nor the
    next one."""
    gironde = Department.objects.get(code="33")
    LocalCurrencyFactory().departments.add(maine_et_loire)
    LocalCurrencyFactory(name="Eusko", slug="eusko").departments.add(gironde)
    published = Listing.objects.published()
    anjou = ListingFilter({"currency": "la-muse"}, queryset=published, department=maine_et_loire)
    basque = ListingFilter({"currency": "eusko"}, queryset=published, department=gironde)
    assert anjou.form.is_valid() and basque.form.is_valid()
    anjou.form.fields["q"].widget.attrs["placeholder"] = "Anjou"
    anjou.form.fields["kind"].choices = [("shop", "Anjou's shops")]
    assert 'value="la-muse" selected' in controls(anjou) and "eusko" not in controls(anjou)
    assert 'value="eusko" selected' in controls(basque) and "la-muse" not in controls(basque)
    again = ListingFilter({}, queryset=published, department=maine_et_loire)
    for other in (basque, again):
        assert "Anjou" not in controls(other) and 'value="market"' in controls(other)
    for name, field in anjou.form.fields.items():
        base = type(anjou.form).base_fields[name]
        assert field is not base and field.widget is not base.widget and field.widget.attrs is not base.widget.attrs
        assert field is not basque.form.fields[name] and field.widget is not basque.form.fields[name].widget


@pytest.mark.django_db
def test_forms_built_at_once_in_threads_keep_their_own_values(towns, maine_et_loire):
    """Threads build, check and render forms at the same moment, each with its own search and department: each
    form shows its own values and its department's currencies, never another thread's."""
    gironde = Department.objects.get(code="33")
    LocalCurrencyFactory().departments.add(maine_et_loire)
    LocalCurrencyFactory(name="Eusko", slug="eusko").departments.add(gironde)
    CategoryFactory(slug="legumes")
    CategoryFactory(slug="fruits")
    searches = [
        (maine_et_loire, {"q": "pain", "distance": "5", "category": "legumes", "currency": "la-muse"}),
        (gironde, {"q": "miel", "distance": "20", "category": "fruits", "currency": "eusko", "open_now": "on"}),
        (maine_et_loire, {"q": "lait", "distance": "50", "kind": "shop"}),
        (gironde, {"q": "vin", "distance": "10", "kind": "market", "when": "today"}),
    ]
    for department, data in searches:  # the cached choices read once, so that the threads need no database
        controls(ListingFilter(data, queryset=Listing.objects.none(), department=department))
    barrier = threading.Barrier(len(searches))
    failures = []

    def search(department, data):
        other_currency = "eusko" if department == maine_et_loire else "la-muse"
        try:
            for _ in range(40):
                barrier.wait()
                filterset = ListingFilter(data, queryset=Listing.objects.none(), department=department)
                assert filterset.form.is_valid(), filterset.form.errors
                assert {name: value for name, value in filterset.form.data.items()} == data
                html = controls(filterset)
                assert f'value="{data["q"]}"' in html and html.count(" selected") == 6  # one option of each list
                assert all(f'value="{data[name]}" selected' in html for name in data if name not in ("q", "open_now"))
                assert html.count(" checked") == ("open_now" in data) and other_currency not in html
        except Exception as error:  # noqa: BLE001 (reported by the test's thread)
            failures.append(error)
            barrier.abort()

    threads = [threading.Thread(target=search, args=search_) for search_ in searches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
