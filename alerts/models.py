"""Email alerts: a visitor's subscription to what is new in an area (alerts.follow), and the digests sent.

The address is kept only while it is needed: a subscription nobody confirmed is deleted after
ALERTS_UNCONFIRMED_DAYS (alerts.subscriptions.purge, run daily), an unsubscribed one at once.
"""

import hashlib
import json
import secrets

from django.core import signing
from django.db import models
from django.utils.translation import gettext_lazy as _

from producers.models import Commune, Department

from .follow import Follow

TOKEN_SALT = "alerts.subscription"


def query_key(department, commune, params):
    """One string per followed query, for "already subscribed to this"."""
    scope = f"c:{commune.insee_code}" if commune else f"d:{department.code}" if department else "fr"
    return hashlib.sha256(f"{scope}|{json.dumps(params, sort_keys=True)}".encode()).hexdigest()


class Subscription(models.Model):
    """One address following one query. Confirmed (double opt-in) when `confirmed_at` is set.

    The links in the emails carry a random key signed with SECRET_KEY (django.core.signing): a copy of the
    database alone opens no subscription. Unlike the producers' edit links (moderation.EditToken, of which only a
    hash is kept), the key itself is stored, because every weekly email carries the unsubscribe link again."""

    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=8)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("town")
    )
    params = models.JSONField(_("filters"), default=dict, blank=True)
    query_key = models.CharField(max_length=64, editable=False)
    key = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("email alert")
        verbose_name_plural = _("email alerts")
        constraints = [models.UniqueConstraint(fields=["email", "query_key"], name="alert_once_per_query")]

    def __str__(self):
        return self.follow().title()

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = secrets.token_urlsafe(32)
        self.email = self.email.strip().lower()
        self.query_key = query_key(self.department, self.commune, self.params)
        super().save(*args, **kwargs)

    def follow(self):
        return Follow(department=self.department, commune=self.commune, params=dict(self.params))

    @property
    def token(self):
        """The value the confirmation and unsubscribe links carry."""
        return signing.Signer(salt=TOKEN_SALT).sign(self.key)

    @classmethod
    def find(cls, token):
        """The subscription a link names, or None for a forged, altered or forgotten one."""
        try:
            key = signing.Signer(salt=TOKEN_SALT).unsign(token)
        except signing.BadSignature:
            return None
        return cls.objects.select_related("department", "commune__department").filter(key=key).first()


class Digest(models.Model):
    """One weekly email of one subscription, recorded before it leaves: one row per subscription and week, so running
    the command again, or twice at once, sends nothing twice. A week with nothing new has its row too (no email)."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="digests")
    # The Monday (Paris) of the week it belongs to.
    week = models.DateField()
    # The changes it covers: after the previous digest's `until` (or the confirmation), up to this.
    until = models.DateTimeField()
    listings = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "week"], name="alert_digest_once_a_week")]
