import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the project."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def angers():
    from tests.factories import CommuneFactory

    return CommuneFactory()


@pytest.fixture(autouse=True)
def _french(settings):
    """Each test starts in the site's default language: a request to /en/… leaves English active in the thread,
    and URLs reversed by the next test would otherwise carry the /en/ prefix."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Tests see every request rendered; tests/test_page_cache.py turns the cache on."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Many tests create accounts or log in: the production hasher's deliberate slowness would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
