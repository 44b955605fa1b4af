"""The department page made for phones: clean URLs, the folded filters, the map's words and the no-JavaScript box."""

import datetime
import html as html_lib
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import CategoryFactory, ListingFactory
from tests.producers.map_data import popups

pytestmark = pytest.mark.django_db

SUNDAY = datetime.datetime(2026, 11, 22, 15, 0, tzinfo=ZoneInfo("Europe/Paris"))


def page(client, url, query=None):
    response = client.get(url, query or {})
    assert response.status_code == 200
    return response.content.decode()


class TestCleanUrls:
    def test_empty_parameters_redirect_to_the_clean_url(self, client, towns, maine_et_loire):
        url = maine_et_loire.get_absolute_url()
        response = client.get(url + "?q=&commune=Angers&distance=10&category=&kind=&delivery=&currency=")
        assert response.status_code == 302
        assert response["Location"] == url + "?commune=Angers&distance=10"

    def test_only_empty_parameters_redirect_to_the_page_itself(self, client, towns, maine_et_loire):
        url = maine_et_loire.get_absolute_url()
        response = client.get(url + "?q=&commune=+&distance=")
        assert response.status_code == 302
        assert response["Location"] == url

    def test_a_clean_url_is_served(self, client, towns, maine_et_loire):
        assert client.get(maine_et_loire.get_absolute_url(), {"kind": "shop"}).status_code == 200

    def test_the_town_page_redirects_too(self, client, towns):
        url = towns["angers"].get_absolute_url()
        response = client.get(url + "?kind=&commune=49007&open_now=")
        assert response.status_code == 302
        assert response["Location"] == url + "?commune=49007"

    def test_in_this_town_only_is_kept_on_a_town_page(self, client, towns):
        """The form sends no distance for "in this town only": the page's default radius must not come back."""
        ListingFactory(name="À Angers", commune=towns["angers"])
        ListingFactory(name="À Avrillé", commune=towns["avrille"])
        # What the town page's form sends: the town's label (the box shows no INSEE code) and the hidden code.
        html = page(client, towns["angers"].get_absolute_url(), {"commune": "Angers (49)", "commune_code": "49007"})
        assert ">À Angers</a>" in html and ">À Avrillé</a>" not in html

    def test_the_form_submits_to_the_page_itself(self, client, towns, maine_et_loire):
        html = page(client, maine_et_loire.get_absolute_url())
        assert 'action=""' not in html
        assert f'<form class="filters" method="get" action="{maine_et_loire.get_absolute_url()}"' in html
        assert 'href="?"' not in html


class TestFoldedFilters:
    def summary(self, html):
        return re.search(r'<details class="filters-panel"[^>]*>\s*<summary[^>]*>(.*?)</summary>', html, re.S)

    def test_the_results_come_before_the_folded_filters(self, client, towns, maine_et_loire):
        html = page(client, maine_et_loire.get_absolute_url())
        assert re.search(r'<details class="filters-panel" data-filters-panel>', html), "folded, not open"
        assert html.index('class="results-count"') < html.index("<details")
        assert self.summary(html)[1].strip().startswith('<span id="filters-title">Filtres</span>')
        assert "actif" not in self.summary(html)[1]

    def test_the_summary_counts_the_active_filters(self, client, towns, maine_et_loire):
        query = {"commune": "Angers", "distance": "10", "kind": "shop", "open_now": "on"}
        html = page(client, maine_et_loire.get_absolute_url(), query)
        # The distance belongs to the town: three filters.
        assert re.search(r'class="filters-panel__count">3 actifs<', self.summary(html)[1])

    def test_the_panel_opens_when_a_field_needs_correcting(self, client, towns, maine_et_loire):
        html = page(client, maine_et_loire.get_absolute_url(), {"commune": "Atlantide"})
        assert re.search(r'<details class="filters-panel" data-filters-panel open>', html)
        html = page(client, maine_et_loire.get_absolute_url(), {"distance": "7"})
        assert re.search(r'<details class="filters-panel" data-filters-panel open>', html)


class TestMap:
    def test_without_javascript_the_map_box_points_to_the_list(self, client, towns, maine_et_loire):
        html = page(client, maine_et_loire.get_absolute_url())
        box = re.search(r'<div class="listing-map".*?</div>', html, re.S)[0]
        assert "La liste présente les mêmes résultats" in box

    def test_leaflet_and_the_clusters_speak_the_page_language(self, client, towns, maine_et_loire):
        """In either order: the words are kept per language (directory._map_labels)."""
        url = maine_et_loire.get_absolute_url()  # the French one: a request leaves its language active here
        for prefix, expected in [
            ("", {"zoomIn": "Zoomer", "zoomOut": "Dézoomer", "clusterOther": "%(count)s activités"}),
            ("/en", {"zoomIn": "Zoom in", "zoomOut": "Zoom out", "clusterOther": "%(count)s listings"}),
            ("", {"zoomIn": "Zoomer", "zoomOut": "Dézoomer", "clusterOther": "%(count)s activités"}),
        ]:
            html = page(client, prefix + url)
            labels = json.loads(html_lib.unescape(re.search(r'data-labels="([^"]*)"', html)[1]))
            assert expected.items() <= labels.items()

    def test_the_popup_says_what_the_card_says(self, client, towns, maine_et_loire, monkeypatch):
        monkeypatch.setattr("django.utils.timezone.now", lambda: SUNDAY)
        ListingFactory(name="Ferme du lundi", opening_hours="Mo 09:00-18:00", categories=[CategoryFactory()])
        ListingFactory(name="Ferme sans horaires", opening_hours="")
        html = page(client, maine_et_loire.get_absolute_url())
        assert "Fermé · ouvre demain à 9 h" in html
        url = reverse("producers:department_geojson", kwargs={"code": "49", "slug": maine_et_loire.slug})
        found = popups(json.loads(client.get(url).content))
        labels = {name: (popup["open_label"], popup["is_open"]) for name, popup in found.items()}
        assert labels == {"Ferme du lundi": ("Fermé · ouvre demain à 9 h", False), "Ferme sans horaires": ("", None)}

    def test_open_now_agrees_with_cards_and_map_for_seasonal_hours(self, client, towns, maine_et_loire, monkeypatch):
        # Issue 12: "Mo-Fr 09:00-18:00; Jul-Aug off" in July was open in the filter and on the map, "Fermé" on
        # its card, because the filter read a January week.
        july = datetime.datetime(2026, 7, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
        monkeypatch.setattr("django.utils.timezone.now", lambda: july)
        ListingFactory(name="Ferme d’hiver", opening_hours="Mo-Fr 09:00-18:00; Jul-Aug off")
        ListingFactory(name="Ferme d’été", opening_hours="Jul-Aug Mo-Fr 09:00-18:00")
        url = maine_et_loire.get_absolute_url()
        assert "Fermé · ouvre le 1 septembre à 9 h" in page(client, url)
        listed = page(client, url, {"open_now": "on"})
        assert "Ferme d’été" in listed and "Ferme d’hiver" not in listed
        geojson = reverse("producers:department_geojson", kwargs={"code": "49", "slug": maine_et_loire.slug})
        found = popups(json.loads(client.get(geojson, {"open_now": "on"}).content))
        assert {name: popup["is_open"] for name, popup in found.items()} == {"Ferme d’été": True}


class TestKeptParts:
    """The parts of the page that depend on the department and the language only are rendered once and kept
    (producers.views.DEPARTMENT_PARTS): each page and language still shows its own, and a change shows at once."""

    def test_each_department_and_language_shows_its_own(self, client, towns, maine_et_loire):
        for _ in range(2):  # rendered, then kept
            french = page(client, maine_et_loire.get_absolute_url())
            assert "<title>Maine-et-Loire (49)\xa0: producteurs locaux · " in french
            assert '<li aria-current="page">Maine-et-Loire</li>' in french
            assert 'href="/departements/49-maine-et-loire/export.csv" download' in french
            english = page(client, "/en" + maine_et_loire.get_absolute_url())
            assert "<title>Local producers in Maine-et-Loire (49) · " in english
            assert 'href="/en/departements/49-maine-et-loire/marches/"' in english
            gironde = page(client, "/departements/33-gironde/")
            assert '<li aria-current="page">Gironde</li>' in gironde
            assert '<link rel="canonical" href="http://127.0.0.1:8000/departements/33-gironde/">' in gironde

    def test_a_renamed_department_shows_at_once(
        self, client, towns, maine_et_loire, django_capture_on_commit_callbacks
    ):
        page(client, maine_et_loire.get_absolute_url())
        with django_capture_on_commit_callbacks(execute=True):
            maine_et_loire.name = "Anjou"
            maine_et_loire.save()
        html = page(client, maine_et_loire.get_absolute_url())
        assert "<title>Anjou (49)\xa0: producteurs locaux · " in html
        assert "<h1>Anjou (49)\xa0: producteurs, artisans et commerces locaux</h1>" in html
