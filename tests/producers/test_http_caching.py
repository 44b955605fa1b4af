"""What a reverse proxy or CDN in front may keep: public pages and map data for a while, nothing personal; bodies
compressed and conditional requests answered with 304."""

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client

from moderation.models import EditToken
from tests.factories import ListingFactory, UserFactory
from tests.responses import gunzipped

pytestmark = pytest.mark.django_db

GZIP = {"accept-encoding": "gzip, deflate, br"}


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def public_urls(towns, maine_et_loire):
    listing = ListingFactory(name="Ferme du Chêne")
    ListingFactory.create_batch(9)  # map data long enough to be worth compressing
    return [
        "/",
        maine_et_loire.get_absolute_url(),
        maine_et_loire.get_absolute_url() + "carte.geojson",
        towns["angers"].get_absolute_url(),
        towns["angers"].get_absolute_url() + "carte.geojson",
        listing.get_absolute_url(),
        "/carte/",
        "/carte.geojson",
        "/carte.geojson?bbox=-1,47,0,48&zoom=12",
        "/en" + maine_et_loire.get_absolute_url(),
    ]


def directives(response):
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_public_pages_and_map_data_may_be_kept_by_a_shared_cache(public_urls, page_cache):
    visitor = Client()
    for url in public_urls:
        for attempt in ("rendered", "from the page cache"):
            response = visitor.get(url, headers=GZIP)
            assert response.status_code == 200, url
            assert directives(response) == {"public", "max-age=60"}, (url, attempt)
            # Keyed on the encoding only, never on cookies nor on the browser's languages (the language is in the
            # URL): one copy serves every anonymous visitor.
            vary = {v.strip().lower() for v in response["Vary"].split(",")}
            assert vary == {"accept-encoding"}, (url, vary)
            assert not response.cookies, url


def test_a_public_page_is_the_same_whatever_the_browsers_language(public_urls, settings):
    """What makes dropping `Vary: Accept-Language` right: the URL alone says the language (rendered each time)."""
    settings.PAGE_CACHE_SECONDS = 0
    for url in public_urls:
        pages = {lang: Client().get(url, headers={"accept-language": lang}) for lang in ("fr-FR", "en-US,en", "de")}
        assert len({page.content for page in pages.values()}) == 1, url
        assert len({page["Content-Language"] for page in pages.values()}) == 1, url


def test_public_pages_are_compressed_and_read_back_whole(public_urls, page_cache):
    for url in public_urls:
        compressed, plain = Client().get(url, headers=GZIP), Client().get(url)
        assert "Content-Encoding" not in plain, url
        assert gunzipped(compressed) == plain.content, url
        assert len(compressed.content) < len(plain.content), url


def test_an_unchanged_page_is_answered_304(public_urls, page_cache):
    visitor = Client()
    for url in public_urls:
        first = visitor.get(url, headers=GZIP)
        etag = first["ETag"]
        again = visitor.get(url, headers={**GZIP, "if-none-match": etag})
        assert again.status_code == 304, url
        assert again.content == b""
        assert visitor.get(url, headers={**GZIP, "if-none-match": 'W/"something-else"'}).status_code == 200


@pytest.mark.parametrize("cached", [True, False], ids=["from the page cache", "rendered"])
def test_a_proxy_revalidating_with_head_gets_the_same_answers_as_with_get(public_urls, settings, cached):
    settings.PAGE_CACHE_SECONDS = 60 if cached else 0
    visitor = Client()
    for url in public_urls:
        etag = visitor.get(url, headers=GZIP)["ETag"]
        head = visitor.head(url, headers=GZIP)
        assert (head.status_code, head["ETag"]) == (200, etag), url
        again = visitor.head(url, headers={**GZIP, "if-none-match": etag})
        assert again.status_code == 304, url
        assert visitor.head(url, headers={**GZIP, "if-none-match": 'W/"something-else"'}).status_code == 200, url


def test_a_head_without_a_body_gets_no_etag_of_its_own(rf):
    """Its ETag would be the empty body's, never the GET's."""
    from django.http import HttpResponse

    from localdir.http import ConditionalGetMiddleware

    response = ConditionalGetMiddleware(lambda request: HttpResponse(""))(rf.head("/", HTTP_IF_NONE_MATCH='"x"'))
    assert response.status_code == 200 and "ETag" not in response


def test_a_changed_page_gets_another_etag(towns, maine_et_loire, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = maine_et_loire.get_absolute_url()
    etag = Client().get(url)["ETag"]
    ListingFactory(name="Nouvelle ferme")
    response = Client().get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Nouvelle ferme" in response.content.decode()


def test_a_visitor_with_cookies_gets_a_page_no_shared_cache_keeps(towns, maine_et_loire, page_cache):
    url = maine_et_loire.get_absolute_url()
    visitor = Client()
    visitor.cookies["messages"] = "a flash message"
    assert "private" in directives(visitor.get(url)) and "public" not in directives(visitor.get(url))
    visitor = Client()
    visitor.cookies["sessionid"] = "a volunteer's session"
    assert directives(visitor.get(url)) == {"private", "no-store"}


def test_pages_with_a_form_are_never_kept_but_still_compressed(towns, page_cache):
    visitor = Client()
    for url in ["/inscrire/", "/inscrire/lien-perdu/"]:
        response = visitor.get(url, headers=GZIP)
        assert response.status_code == 200
        assert directives(response) == {"private", "no-store"}, url
        assert "ETag" not in response
        html = gunzipped(response).decode()
        assert "csrfmiddlewaretoken" in html
        # BREACH: the token is masked afresh in every response, so compressed sizes reveal nothing about it.
        again = gunzipped(visitor.get(url, headers=GZIP)).decode()
        token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
        assert token.search(html)[1] != token.search(again)[1]


def test_a_private_link_is_never_kept_anywhere(towns, page_cache):
    listing = ListingFactory()
    token = EditToken.issue(listing)
    for url in [f"/modifier/{token}/", f"/modifier/{token}/effacer/", "/modifier/forged/"]:
        response = Client().get(url)
        assert response.status_code in (200, 404), url
        assert directives(response) == {"private", "no-store"}, url
        assert "Expires" not in response or "no-store" in response["Cache-Control"]


def test_the_admin_is_never_kept(client, page_cache):
    assert "no-store" in directives(client.get("/admin/login/"))
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_errors_and_pages_outside_the_page_cache_are_not_made_public(towns, page_cache):
    response = Client().get("/departements/99-nulle-part/")
    assert response.status_code == 404
    assert "public" not in directives(response)
    # The Mag's list changes when a scheduled article comes out, which no invalidation follows: it is not cached.
    response = Client().get("/mag/")
    assert response.status_code == 200
    assert "public" not in directives(response)


def test_geojson_is_json_once_decompressed(towns, maine_et_loire, page_cache):
    ListingFactory.create_batch(3)
    response = Client().get(maine_et_loire.get_absolute_url() + "carte.geojson", headers=GZIP)
    assert len(json.loads(gunzipped(response))["features"]) == 3


def test_private_page_keeps_even_a_page_without_a_form_out_of_every_cache(rf):
    from django.http import HttpResponse

    from localdir.cache import CacheHeadersMiddleware, private_page

    @private_page
    def view(request):
        return HttpResponse("Votre fiche")

    response = CacheHeadersMiddleware(view)(rf.get("/modifier/un-lien/"))
    assert directives(response) == {"private", "no-store"}
    assert "Cache-Control" not in CacheHeadersMiddleware(lambda request: HttpResponse("x"))(rf.get("/"))


@pytest.mark.parametrize("path", ["", "carte.geojson"])
def test_the_etag_survives_a_new_rendering_of_an_unchanged_page(towns, maine_et_loire, settings, path):
    """After the page cache expired, a proxy revalidating its copy gets a 304, not the same bytes again: the ETag is
    taken before compression, whose random padding differs at each rendering."""
    settings.PAGE_CACHE_SECONDS = 0  # rendered afresh each time
    ListingFactory.create_batch(10)
    url = maine_et_loire.get_absolute_url() + path
    first = Client().get(url, headers=GZIP)
    assert first["Content-Encoding"] == "gzip"
    assert Client().get(url, headers={**GZIP, "if-none-match": first["ETag"]}).status_code == 304
