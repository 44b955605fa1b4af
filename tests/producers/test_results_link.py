"""From a filtered list, a listing's page leads back to that list with its filters, without JavaScript; a link
naming another address for "back" is never followed."""

import html
import re
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from producers import reference
from producers import towns as towns_module
from tests.factories import CategoryFactory, ListingFactory

pytestmark = pytest.mark.django_db

BACK = re.compile(r'<p class="back-link"><a href="([^"]+)">Retour aux résultats</a></p>')


def card_links(page):
    return [html.unescape(href) for href in re.findall(r'<h3 class="card__title"><a href="([^"]+)"', page)]


@pytest.fixture
def vegetables(towns):
    category = CategoryFactory(slug="legumes", name="Légumes")
    for n in range(3):
        ListingFactory(name=f"Ferme {n}", commune=towns["angers"], categories=[category])
    ListingFactory(name="Verger", commune=towns["angers"])
    return category


@pytest.mark.parametrize("page_cache", [0, 300])
def test_a_card_of_a_filtered_list_leads_to_a_listing_whose_back_link_is_that_list(
    client, towns, maine_et_loire, vegetables, settings, page_cache
):
    settings.PAGE_CACHE_SECONDS = page_cache
    settings.LISTINGS_PER_PAGE = 2
    cache.clear()
    query = {"commune": "Angers", "distance": "20", "category": "legumes", "page": "2"}
    list_url = f"{maine_et_loire.get_absolute_url()}?{urlencode(query)}"
    listing_page = client.get(list_url)
    assert listing_page.status_code == 200
    links = card_links(listing_page.content.decode())
    assert len(links) == 1  # the third of the three vegetable farms, alone on page 2

    page = client.get(links[0])
    assert page.status_code == 200
    back = html.unescape(BACK.search(page.content.decode())[1])
    assert back == list_url
    assert client.get(back).content == listing_page.content


def test_a_town_page_with_filters_is_the_way_back_too(client, towns, vegetables):
    list_url = f"{towns['angers'].get_absolute_url()}?category=legumes"
    link = card_links(client.get(list_url).content.decode())[0]
    back = html.unescape(BACK.search(client.get(link).content.decode())[1])
    assert back == list_url


def test_an_unfiltered_department_page_leaves_the_breadcrumb_as_the_way_back(client, towns, maine_et_loire, vegetables):
    link = card_links(client.get(maine_et_loire.get_absolute_url()).content.decode())[0]
    assert "?" not in link
    page = client.get(link).content.decode()
    assert not BACK.search(page)
    assert f'<a href="{maine_et_loire.get_absolute_url()}">Maine-et-Loire</a>' in page


@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example/departements/49-maine-et-loire/",
        "//evil.example/departements/49-maine-et-loire/",
        "javascript:alert(1)",
        "/admin/",
        "/inscrire/",
        "/departements/49-maine-et-loire/?next=https://evil.example/",
        "/departements/49-maine-et-loire/#x",
        "/departements/49-maine-et-loire/?q=" + "x" * 1000,
    ],
)
def test_a_back_link_to_anything_but_one_of_our_lists_is_dropped(client, towns, vegetables, hostile):
    listing = ListingFactory(commune=towns["angers"], categories=[vegetables])
    url = listing.get_absolute_url()
    response = client.get(url, {"depuis": hostile})
    assert response.status_code == 302
    assert response["Location"] == url
    page = client.get(response["Location"]).content.decode()
    assert not BACK.search(page)
    assert "evil.example" not in page


def test_a_back_link_is_rebuilt_with_the_lists_filters_only(client, towns, maine_et_loire):
    listing = ListingFactory(commune=towns["angers"])
    list_url = f"{maine_et_loire.get_absolute_url()}?category=legumes&kind=&page=3"
    response = client.get(listing.get_absolute_url(), {"depuis": list_url})
    assert response.status_code == 302
    clean = f"{maine_et_loire.get_absolute_url()}?category=legumes&page=3"
    assert response["Location"] == f"{listing.get_absolute_url()}?{urlencode({'depuis': clean})}"


def test_the_back_link_costs_the_listing_page_no_query(client, towns, maine_et_loire, vegetables):
    listing = ListingFactory(commune=towns["angers"], categories=[vegetables])
    back = f"{maine_et_loire.get_absolute_url()}?category=legumes"

    def count(data):
        cache.clear()
        reference.departments()  # cached beside the pages, which all read it (the way back is checked against it)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(listing.get_absolute_url(), data)
        assert page.status_code == 200
        assert "Légumes" in page.content.decode()
        return len(queries), bool(BACK.search(page.content.decode()))

    assert count({}) == (count({"depuis": back})[0], False)
    assert count({"depuis": back}) == (count({})[0], True)


def test_the_listing_page_is_cached_once_for_all_the_lists_it_is_reached_from(
    client, towns, maine_et_loire, vegetables, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    settings.LISTINGS_PER_PAGE = 2
    cache.clear()
    department = maine_et_loire.get_absolute_url()
    second_page = f"{department}?page=2"
    filtered = f"{department}?category=legumes&page=2"
    from_second_page = card_links(client.get(second_page).content.decode())[0]
    from_filtered = next(link for link in card_links(client.get(filtered).content.decode()) if "?" in link)
    listing_url = from_second_page.split("?")[0]
    assert from_filtered.split("?")[0] == listing_url  # the same farm, reached from two lists
    plain = client.get(listing_url).content.decode()
    assert not BACK.search(plain)

    for link, list_url in [(from_second_page, second_page), (from_filtered, filtered)]:
        with CaptureQueriesContext(connection) as queries:
            page = Client().get(link)  # another visitor each time
        assert page.status_code == 200
        assert len(queries) == 0
        assert BACK.search(page.content.decode())[1] == escape(list_url)
    assert client.get(listing_url).content.decode() == plain  # no visitor's way back left in the cached copy


def test_a_bad_back_link_is_dropped_but_the_other_parameters_are_kept(client, towns, maine_et_loire):
    listing = ListingFactory(commune=towns["angers"])
    url = listing.get_absolute_url()
    response = client.get(url, {"utm_source": "newsletter", "depuis": "/admin/", "utm_campaign": "mai"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?utm_source=newsletter&utm_campaign=mai"
    untidy = f"{maine_et_loire.get_absolute_url()}?category=legumes&kind="
    response = client.get(url, {"depuis": untidy, "utm_source": "newsletter"})
    clean = f"{maine_et_loire.get_absolute_url()}?category=legumes"
    assert response["Location"] == f"{url}?{urlencode({'utm_source': 'newsletter', 'depuis': clean})}"
    assert BACK.search(client.get(response["Location"]).content.decode())[1] == escape(clean)


@pytest.mark.parametrize(
    "made_up",
    [
        "/departements/49-nimporte-quoi/",
        "/departements/49-nimporte-quoi/?category=legumes",
        "/departements/2A-corse-du-sud/",
        "/communes/49007-nimporte-quoi/",
        "/communes/49007-nimporte-quoi/?category=legumes",
        "/communes/49999-angers/",
        "/communes/2A999-ajaccio/",
    ],
)
def test_a_department_or_town_that_does_not_exist_is_no_way_back(client, towns, made_up):
    listing = ListingFactory(commune=towns["angers"])
    response = client.get(listing.get_absolute_url(), {"depuis": made_up})
    assert response.status_code == 302
    assert response["Location"] == listing.get_absolute_url()
    page = client.get(response["Location"]).content.decode()
    assert not BACK.search(page)
    assert "nimporte" not in page


def test_a_town_s_list_is_a_way_back_that_costs_no_query_once_its_town_is_known(client, towns, vegetables):
    listing = ListingFactory(commune=towns["angers"], categories=[vegetables])
    back = f"{towns['angers'].get_absolute_url()}?category=legumes"
    assert BACK.search(client.get(listing.get_absolute_url(), {"depuis": back}).content.decode())
    with CaptureQueriesContext(connection) as plain:
        client.get(listing.get_absolute_url())
    with CaptureQueriesContext(connection) as with_back:
        page = client.get(listing.get_absolute_url(), {"depuis": back})
    assert html.unescape(BACK.search(page.content.decode())[1]) == back
    assert len(with_back) == len(plain)


@pytest.mark.parametrize("page_cache", [0, 300])
def test_the_language_switch_leads_back_to_the_same_list_in_the_other_language(
    client, towns, maine_et_loire, vegetables, settings, page_cache
):
    settings.PAGE_CACHE_SECONDS = page_cache
    cache.clear()
    url = ListingFactory(commune=towns["angers"], categories=[vegetables]).get_absolute_url()
    french_list = f"{maine_et_loire.get_absolute_url()}?category=legumes"
    english_list = f"/en{french_list}"
    client.get(url)  # the plain page, cached first when the cache is on
    page = client.get(url, {"depuis": french_list}).content.decode()
    english = html.unescape(re.search(r'href="([^"]+)" hreflang="en"', page)[1])
    assert english == f"/en{url}?{urlencode({'depuis': english_list})}"

    page = client.get(english)
    assert page.status_code == 200
    back = re.search(
        r'<p class="back-link"><a href="([^"]+)">Back to the list of results</a></p>', page.content.decode()
    )
    assert html.unescape(back[1]) == english_list
    french = html.unescape(re.search(r'href="([^"]+)" hreflang="fr"', page.content.decode())[1])
    assert french == f"{url}?{urlencode({'depuis': french_list})}"
    # Without a way back, the switch links to the plain page.
    page = client.get(url).content.decode()
    assert re.search(r'href="([^"]+)" hreflang="en"', page)[1] == f"/en{url}"


def test_a_cached_listing_page_gives_each_visitor_their_own_way_back_and_language_switch(
    client, towns, maine_et_loire, vegetables, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    url = ListingFactory(commune=towns["angers"], categories=[vegetables]).get_absolute_url()
    department = maine_et_loire.get_absolute_url()
    lists = [f"{department}?category=legumes", f"{department}?page=2", f"{towns['angers'].get_absolute_url()}?page=2"]
    client.get(url, {"depuis": lists[0]})  # the one copy, cached with the first visitor's way back taken out
    # A town's list is checked against its town, looked up once and then cached with the towns searched.
    towns_module.commune_by_insee(towns["angers"].insee_code)

    for list_url in lists:
        with CaptureQueriesContext(connection) as queries:
            page = Client().get(url, {"depuis": list_url}).content.decode()  # another visitor each time
        assert len(queries) == 0
        assert html.unescape(BACK.search(page)[1]) == list_url
        english = html.unescape(re.search(r'href="([^"]+)" hreflang="en"', page)[1])
        assert english == f"/en{url}?{urlencode({'depuis': f'/en{list_url}'})}"
        assert "\x00" not in page
    plain = client.get(url).content.decode()
    assert not BACK.search(plain) and "depuis" not in plain and "\x00" not in plain
