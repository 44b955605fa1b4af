import pytest
from django.contrib.auth.models import Group

from producers.models import Listing
from tests.factories import CategoryFactory, CommuneFactory, ListingFactory, UserFactory


@pytest.fixture
def angers(db):
    return CommuneFactory()


@pytest.fixture
def category(db):
    return CategoryFactory(name="Légumes", slug="legumes")


@pytest.fixture
def moderator(db):
    """alice: a volunteer in the Moderators group, staff, nothing else."""
    user = UserFactory(username="alice", is_staff=True)
    user.groups.add(Group.objects.get(name="Modérateurs"))
    return user


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The rate limit counts in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def started_seconds_ago(seconds=10):
    import time

    from django.core import signing

    from moderation.forms import TIMER_SALT

    return signing.TimestampSigner(salt=TIMER_SALT).sign(str(int(time.time()) - seconds))


def signed_long_ago(value, salt, seconds=24 * 60 * 60 + 60):
    """`value` signed with `salt` `seconds` ago (a day and a minute: a page left open in a tab)."""
    import time

    from django.core import signing

    then = int(time.time()) - seconds

    class SignedThen(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(then)

    return SignedThen(salt=salt).sign(value)


def started_long_ago(seconds=24 * 60 * 60 + 60):
    """The timer of a page opened `seconds` ago, signed then."""
    import time

    from moderation.forms import TIMER_SALT

    return signed_long_ago(str(int(time.time()) - seconds), TIMER_SALT, seconds)


@pytest.fixture
def submission(angers, category):
    """A complete, valid registration as a producer's browser posts it."""
    return {
        "name": "Ferme des Trois Chênes",
        "kind": "producer",
        "categories": [category.slug],
        "short_description": "Légumes bio et œufs",
        "description": "Maraîchage sur sol vivant.",
        "street_address": "12 chemin des Prés",
        "commune": "Angers (49)",
        "postal_code": "49000",
        "insee_code": "",
        "latitude": "47.48",
        "longitude": "-0.55",
        "email": "ferme@example.org",
        "phone": "02 41 00 00 00",
        "website": "https://ferme.example.org",
        "opening_hours": "Mo-Fr 09:00-18:00",
        "delivery_modes": [],
        "fax_number": "",
        "started": started_seconds_ago(),
    }


@pytest.fixture
def pending(angers, category):
    """A listing waiting for review, with its producer's email: the private edit page's tests (a module may name
    its own `pending`)."""
    return ListingFactory(
        status=Listing.Status.PENDING, name="Ferme du Lac", email="lac@example.org", categories=[category]
    )


@pytest.fixture
def published(angers, category):
    """A published listing, with its producer's email: the private edit page's tests."""
    return ListingFactory(name="Ferme du Lac", email="lac@example.org", categories=[category])
