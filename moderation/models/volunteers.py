"""The volunteers: their teams, and the market suggestions they turned down."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from producers.models import Listing


class ModeratorProfile(models.Model):
    """A volunteer's team: the departments they look after first, and whether they get the daily digest.

    A volunteer without departments sees and hears about everything, as on a small site."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderator_profile",
        verbose_name=_("volunteer"),
    )
    departments = models.ManyToManyField(
        "producers.Department", blank=True, related_name="moderators", verbose_name=_("departments")
    )
    daily_digest = models.BooleanField(
        _("daily digest"), default=False, help_text=_("One email a day listing the new submissions to review.")
    )
    last_digest_at = models.DateTimeField(_("last digest sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("volunteer's team")
        verbose_name_plural = _("volunteers' teams")

    def __str__(self):
        return str(self.user)


class DismissedMarketSuggestion(models.Model):
    """A volunteer said a producer's words do not mean this market (moderation.market_suggestions): it is not
    suggested again. The decision itself is in the log."""

    producer = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+", verbose_name=_("producer"))
    market = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+", verbose_name=_("market"))
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed market suggestion")
        verbose_name_plural = _("dismissed market suggestions")
        constraints = [models.UniqueConstraint(fields=["producer", "market"], name="market_suggestion_dismissed_once")]

    def __str__(self):
        return _("%(producer)s at %(market)s") % {"producer": self.producer, "market": self.market}
