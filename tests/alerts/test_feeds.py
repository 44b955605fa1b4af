"""RSS and Atom feeds of new and updated listings: valid XML, published listings only, the page's filters."""

import time
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from producers.models import Listing
from tests.alerts.conftest import listing

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel")


def rss_titles(client, url):
    return [item.findtext("title") for item in rss(client, url).findall("item")]


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_a_department_feed_has_its_published_listings_newest_first(client, places):
    listing("Ferme ancienne", places["angers"], days_ago=9)
    listing("Ferme récente", places["chalonnes"], days_ago=1)
    listing("Ferme girondine", places["bordeaux"], days_ago=1)
    listing("En attente", places["angers"], status=Listing.Status.PENDING)
    listing("Refusée", places["angers"], status=Listing.Status.REJECTED)
    listing("Cachée", places["angers"], status=Listing.Status.UNCONFIRMED)
    titles = rss_titles(client, "/departements/49-maine-et-loire/nouveautes.rss")
    assert titles == ["Ferme récente, Chalonnes-sur-Loire (49)", "Ferme ancienne, Angers (49)"]


def test_the_feed_is_named_after_its_area_and_links_to_the_page(client, places):
    channel = rss(client, "/communes/49069-chalonnes-sur-loire/nouveautes.rss")
    assert channel.findtext("title").startswith("Nouveaux producteurs près de Chalonnes-sur-Loire")
    assert channel.findtext("link") == "http://testserver/communes/49069-chalonnes-sur-loire/"
    assert channel.findtext("language") == "fr"


def test_a_town_feed_covers_the_town_page_distance_or_the_one_given(client, places):
    listing("Ferme de Chalonnes", places["chalonnes"])
    listing("Ferme d'Angers", places["angers"], days_ago=2)  # 21 km
    listing("Ferme de Cholet", places["cholet"], days_ago=3)  # 34 km
    listing("Ferme de Bordeaux", places["bordeaux"], days_ago=1)
    url = "/communes/49069-chalonnes-sur-loire/nouveautes.rss"
    # The town page's own default: 10 km.
    assert rss_titles(client, url) == ["Ferme de Chalonnes, Chalonnes-sur-Loire (49)"]
    assert rss_titles(client, url + "?distance=50") == [
        "Ferme de Chalonnes, Chalonnes-sur-Loire (49)",
        "Ferme d'Angers, Angers (49)",
        "Ferme de Cholet, Cholet (49)",
    ]


def test_a_category_feed_of_all_france(client, places, vegetables):
    listing("Maraîcher", places["bordeaux"], categories=[vegetables])
    listing("Boulanger", places["angers"])
    channel = rss(client, "/nouveautes.rss?category=legumes")
    assert [item.findtext("title") for item in channel.findall("item")] == ["Maraîcher, Bordeaux (33)"]
    assert channel.findtext("title").startswith("Nouveaux producteurs en France · Légumes")
    assert channel.find("item").findtext("category") == "Légumes"


def test_a_markets_feed(client, places):
    listing("Marché du samedi", places["angers"], kind=Listing.Kind.MARKET)
    listing("Ferme", places["angers"])
    channel = rss(client, "/departements/49-maine-et-loire/nouveautes.rss?kind=market")
    assert [item.findtext("title") for item in channel.findall("item")] == ["Marché du samedi, Angers (49)"]
    assert channel.findtext("title").startswith("Nouveaux marchés : Maine-et-Loire (49)")


def test_a_department_feed_with_a_town_says_near_it(client, places):
    listing("Ferme d'Angers", places["angers"])
    channel = rss(client, "/departements/49-maine-et-loire/nouveautes.rss?commune=Angers+%2849%29&distance=5")
    assert channel.findtext("title").startswith("Nouveaux producteurs près d’Angers")
    assert len(channel.findall("item")) == 1


def test_an_approved_edit_brings_a_listing_back_as_updated(client, places, django_user_model):
    from moderation.models import Revision
    from producers import listing_data

    old = listing("Ferme ancienne", places["angers"], days_ago=30)
    listing("Ferme récente", places["angers"], days_ago=2)
    data = listing_data.serialize_listing(old)
    data["short_description"] = "Maintenant des fromages"
    revision = Revision.objects.create(listing=old, data=data)
    url = "/departements/49-maine-et-loire/nouveautes.rss"
    assert rss_titles(client, url)[0] == "Ferme récente, Angers (49)"
    revision.approve(by=django_user_model.objects.create(username="benevole"))
    items = rss(client, url).findall("item")
    assert items[0].findtext("title") == "Mis à jour : Ferme ancienne, Angers (49)"
    assert items[0].findtext("description") == "Maintenant des fromages"
    # A new identifier, so that feed readers show it again.
    assert items[0].findtext("guid") != items[0].findtext("link")


def test_a_confirmation_is_not_an_update(client, places):
    from moderation.models import confirm_by_producer

    old = listing("Ferme ancienne", places["angers"], days_ago=30)
    listing("Ferme récente", places["angers"], days_ago=2)
    confirm_by_producer(old.pk)
    assert rss_titles(client, "/departements/49-maine-et-loire/nouveautes.rss")[0] == "Ferme récente, Angers (49)"


def test_the_atom_feed_parses_with_entries_and_updated_dates(client, places):
    item = listing("Ferme", places["chalonnes"])
    feed = atom(client, "/departements/49-maine-et-loire/nouveautes.atom")
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Ferme, Chalonnes-sur-Loire (49)"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver" + item.get_absolute_url()
    assert entry.findtext(f"{ATOM}updated")[:10] == timezone.localtime(item.changed_at).date().isoformat()
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/departements/49-maine-et-loire/nouveautes.atom")


def test_the_english_feed_speaks_english(client, places, vegetables):
    listing("Maraîcher", places["angers"], categories=[vegetables])
    channel = rss(client, "/en/departements/49-maine-et-loire/nouveautes.rss?category=legumes")
    assert channel.findtext("title").startswith("New producers: Maine-et-Loire (49) · Vegetables")
    assert channel.findtext("language") == "en"
    assert channel.find("item").findtext("link") == "http://testserver/en/activites/" + Listing.objects.get().slug + "/"


def test_an_unknown_area_is_not_found(client, places):
    assert client.get("/departements/00-nulle-part/nouveautes.rss").status_code == 404
    assert client.get("/communes/99999-nulle-part/nouveautes.rss").status_code == 404


def test_the_feeds_are_cacheable(client, places, settings):
    settings.PAGE_CACHE_SECONDS = 60
    response = client.get("/departements/49-maine-et-loire/nouveautes.rss")
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


class TestPageLinks:
    def test_the_department_page_links_its_feeds(self, client, places):
        html = client.get("/departements/49-maine-et-loire/").content.decode()
        assert (
            '<link rel="alternate" type="application/rss+xml" title="Nouveaux producteurs : Maine-et-Loire (49) (RSS)" '
            'href="/departements/49-maine-et-loire/nouveautes.rss">' in html
        )
        assert 'href="/departements/49-maine-et-loire/nouveautes.atom" type="application/atom+xml">' in html

    def test_the_filtered_page_links_the_feed_of_its_filters(self, client, places, vegetables):
        html = client.get(
            "/departements/49-maine-et-loire/",
            {"commune": "Chalonnes-sur-Loire (49)", "distance": "20", "category": "legumes", "q": "miel"},
        ).content.decode()
        feed = (
            "/departements/49-maine-et-loire/nouveautes.rss?commune=Chalonnes-sur-Loire+%2849%29&amp;distance=20"
            "&amp;category=legumes"
        )
        assert f'href="{feed}"' in html
        assert "Nouveaux producteurs près de Chalonnes-sur-Loire · Légumes (RSS)" in html

    def test_each_page_links_its_own_query_whatever_was_rendered_before(self, client, places, vegetables):
        """The links of a page without followed filters are kept once rendered: never those of another query,
        another area or another language."""
        url = "/departements/49-maine-et-loire/"
        for _ in range(2):  # rendered, then kept
            html = client.get(url, {"q": "miel", "open_now": "on"}).content.decode()  # nothing followed
            assert 'href="/departements/49-maine-et-loire/nouveautes.rss">' in html
            assert '<input type="hidden" name="departement" value="49">' in html
            assert '<input type="hidden" name="category"' not in html
            html = client.get(url, {"category": "legumes"}).content.decode()
            assert 'href="/departements/49-maine-et-loire/nouveautes.rss?category=legumes">' in html
            assert '<input type="hidden" name="category" value="legumes">' in html
            assert "Nouveaux producteurs : Gironde (33)" in client.get("/departements/33-gironde/").content.decode()
            assert "Nouveaux producteurs : Maine-et-Loire (49)" in client.get(url).content.decode()
            english = client.get("/en" + url).content.decode()
            assert 'href="/en/departements/49-maine-et-loire/nouveautes.rss"' in english
            assert "Follow what is new here" in english

    def test_the_head_and_the_box_show_each_filtered_page_its_own_feeds(self, client, places, vegetables):
        """Both read what the request made once (alerts_tags._shown): each page, language and department its own."""
        query = {"category": "legumes", "kind": "market"}
        for prefix, department, title in [
            ("", "49-maine-et-loire", "Nouveaux marchés : Maine-et-Loire (49) · Légumes"),
            ("/en", "49-maine-et-loire", "New markets: Maine-et-Loire (49) · Vegetables"),
            ("", "33-gironde", "Nouveaux marchés : Gironde (33) · Légumes"),
        ]:
            html = client.get(f"{prefix}/departements/{department}/", query).content.decode()
            feed = f"{prefix}/departements/{department}/nouveautes"
            assert f'title="{title} (RSS)" href="{feed}.rss?category=legumes&amp;kind=market">' in html
            assert f'title="{title} (Atom)" href="{feed}.atom?category=legumes&amp;kind=market">' in html
            assert f'<p class="follow-box__title">{title}</p>' in html
            assert f'<a href="{feed}.rss?category=legumes&amp;kind=market" type="application/rss+xml">' in html

    def test_the_box_keeps_the_page_the_same_at_each_rendering(self, client, places):
        # No timestamp in the small form: a proxy revalidating the page a while later gets a 304.
        first = client.get("/communes/49069-chalonnes-sur-loire/")
        time.sleep(1.1)
        again = client.get("/communes/49069-chalonnes-sur-loire/", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304

    def test_the_town_page_links_its_feeds_and_the_form(self, client, places):
        html = client.get("/communes/49069-chalonnes-sur-loire/").content.decode()
        assert 'href="/communes/49069-chalonnes-sur-loire/nouveautes.rss"' in html
        assert 'action="/alertes/"' in html
        assert '<input type="hidden" name="ville" value="49069">' in html


def test_the_map_of_france_links_the_national_feed_of_its_filters(client, places, vegetables):
    html = client.get("/carte/", {"category": "legumes", "kind": "market"}).content.decode()
    assert (
        'title="Nouveaux marchés en France · Légumes (RSS)" href="/nouveautes.rss?category=legumes&amp;kind=market"'
        in html
    )
    assert 'href="/alertes/?category=legumes&amp;kind=market"' in html
