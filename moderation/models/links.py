"""The producers' private links to their listing."""

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from producers.models import Listing

EDIT_LINK_SALT = "moderation.edit-link"


def _hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class EditTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class EditToken(models.Model):
    """A producer's private link to their listing.

    Only a hash of the random token is stored; the URL carries the token signed with SECRET_KEY
    (django.core.signing), so a forged or altered link is refused before any database look-up.
    """

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="edit_tokens", verbose_name=_("listing")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = EditTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("private edit link")
        verbose_name_plural = _("private edit links")

    def __str__(self):
        return _("Link for %(listing)s") % {"listing": self.listing}

    @classmethod
    def issue(cls, listing):
        """A new link for the listing; returns the signed value to put in the URL.

        Older links keep working: a producer who kept the first email must not be locked out because a volunteer's
        answer, or someone typing their address in the lost-link form, brought a newer one.
        """
        raw = secrets.token_urlsafe(32)
        cls.objects.create(listing=listing, token_hash=_hash(raw))
        return signing.Signer(salt=EDIT_LINK_SALT).sign(raw)

    @classmethod
    def renew(cls, listing):
        """The producer's own "new link" button: every other link stops working, one new link is returned."""
        with transaction.atomic():
            cls.revoke_all(listing)
            return cls.issue(listing)

    @classmethod
    def discard(cls, signed):
        """Delete a link that was never delivered."""
        token = cls.lookup(signed)
        if token is not None:
            token.delete()

    @classmethod
    def lookup(cls, signed):
        """The token a signed URL value names, revoked or not; None for a forged or unknown value."""
        try:
            raw = signing.Signer(salt=EDIT_LINK_SALT).unsign(signed)
        except signing.BadSignature:
            return None
        return cls.objects.select_related("listing").filter(token_hash=_hash(raw)).first()

    @classmethod
    def find(cls, signed):
        """The active token a signed URL value opens, or None."""
        token = cls.lookup(signed)
        return token if token is not None and token.revoked_at is None else None

    @classmethod
    def revoke_all(cls, listing):
        cls.objects.filter(listing=listing, revoked_at__isnull=True).update(revoked_at=timezone.now())


def edit_url(signed):
    return settings.SITE_URL + reverse("moderation:edit", kwargs={"token": signed})
