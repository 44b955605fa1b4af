"""The moderation models: private links, decisions and their log."""

import hashlib

import pytest
from django.core import signing

from moderation.models import AlreadyDecided, Decision, EditToken, decide_listing
from producers.models import Listing
from tests.factories import ListingFactory, UserFactory

pytestmark = pytest.mark.django_db


class TestEditToken:
    def test_the_signed_value_opens_its_listing(self, angers):
        listing = ListingFactory()
        signed = EditToken.issue(listing)
        assert EditToken.find(signed).listing == listing

    def test_only_a_hash_is_stored(self, angers):
        listing = ListingFactory()
        signed = EditToken.issue(listing)
        raw = signing.Signer(salt="moderation.edit-link").unsign(signed)
        [row] = EditToken.objects.filter(listing=listing).values()
        assert row["token_hash"] == hashlib.sha256(raw.encode()).hexdigest()
        assert not [name for name, value in row.items() if raw in str(value)]

    def test_a_tampered_value_opens_nothing(self, angers):
        signed = EditToken.issue(ListingFactory())
        assert EditToken.find(signed[:-2] + "xx") is None
        assert EditToken.find("x" + signed) is None

    def test_a_revoked_link_opens_nothing(self, angers):
        listing = ListingFactory()
        signed = EditToken.issue(listing)
        EditToken.revoke_all(listing)
        assert EditToken.find(signed) is None

    def test_a_new_link_leaves_the_old_one_working(self, angers):
        listing = ListingFactory()
        old = EditToken.issue(listing)
        new = EditToken.issue(listing)
        assert EditToken.find(old).listing == listing
        assert EditToken.find(new).listing == listing

    def test_renewing_revokes_every_other_link(self, angers):
        listing = ListingFactory()
        other_listing = EditToken.issue(ListingFactory(name="Autre"))
        old = [EditToken.issue(listing), EditToken.issue(listing)]
        new = EditToken.renew(listing)
        assert [EditToken.find(signed) for signed in old] == [None, None]
        assert EditToken.lookup(old[0]).revoked_at is not None
        assert EditToken.find(new).listing == listing
        assert EditToken.find(other_listing) is not None


class TestDecideListing:
    def test_it_publishes_and_logs(self, angers):
        listing = ListingFactory(status=Listing.Status.PENDING)
        alice = UserFactory(username="alice")
        decide_listing(listing.pk, Decision.Action.APPROVE, alice)
        listing.refresh_from_db()
        assert listing.status == Listing.Status.PUBLISHED
        decision = Decision.objects.get()
        assert (decision.moderator, decision.action, decision.target) == (alice, "approve", listing)

    def test_a_second_decision_is_refused(self, angers):
        listing = ListingFactory(status=Listing.Status.PENDING)
        alice = UserFactory(username="alice")
        decide_listing(listing.pk, Decision.Action.APPROVE, alice)
        with pytest.raises(AlreadyDecided):
            decide_listing(listing.pk, Decision.Action.REJECT, alice, "non")
        assert Decision.objects.count() == 1
        listing.refresh_from_db()
        assert listing.status == Listing.Status.PUBLISHED
