"""Temporary closures: holidays, a day off, works. While one covers today (in Paris), the listing is closed whatever
its weekly hours say: on its page, its card, the map and the "open now" filter (ListingQuerySet.open_at)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localdir.text import validate_single_line
from producers.hours import PARIS

# A closure longer than this is not temporary: the listing should be withdrawn, or its hours changed.
MAX_DAYS = 183
# The note is public and no volunteer reads it first (a closure changes no text a volunteer checked): it is kept
# short, on one line, shown as plain text, and may not carry a web address.
NOTE_MAX_LENGTH = 100
# Any "name.tld" written without spaces (bit.ly, ferme-dupont.shop), and the common ones written with spaces.
WEB_ADDRESS = re.compile(
    r"https?:|www\.|[a-z0-9-]\.[a-z]{2,24}\b|\w\s*\.\s*(fr|com|net|org|eu|info|bzh|shop|ly|io)\b", re.IGNORECASE
)
# A closure is entered for the months to come, not for years ahead (a start decades away is a typo).
MAX_DAYS_AHEAD = 366


def paris_today(moment=None):
    return timezone.localtime(moment or timezone.now(), PARIS).date()


def closed_until(closures, day):
    """The last day of the closure covering `day` and of those that follow it without a gap (1–5 March then 6–20
    March: the 20th), or None when no closure covers `day`."""
    end = None
    for closure in sorted(closures, key=lambda c: c.starts_on):
        if end is None and closure.covers(day):
            end = closure.ends_on
        elif end is not None and closure.starts_on <= end + datetime.timedelta(days=1):
            end = max(end, closure.ends_on)
    return end


def validate_no_web_address(value):
    if value and WEB_ADDRESS.search(value):
        raise ValidationError(_("A web address cannot go in the note."), code="web_address")


class ClosureQuerySet(models.QuerySet):
    def not_over(self, today=None):
        """Closures that cover today or later: the only ones shown (past ones disappear by themselves)."""
        return self.filter(ends_on__gte=today or paris_today())

    def over(self, today=None):
        return self.filter(ends_on__lt=today or paris_today())

    def covering(self, day):
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Closure(models.Model):
    listing = models.ForeignKey(
        "producers.Listing", on_delete=models.CASCADE, related_name="closures", verbose_name=_("listing")
    )
    starts_on = models.DateField(_("closed from"))
    ends_on = models.DateField(_("until (included)"))
    note = models.CharField(
        _("note"),
        max_length=NOTE_MAX_LENGTH,
        blank=True,
        validators=[validate_single_line, validate_no_web_address],
        help_text=_("Optional, shown on your listing: “summer holidays”, “works”. One short line, no web address."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ClosureQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "ends_on", "pk"]
        verbose_name = _("temporary closure")
        verbose_name_plural = _("temporary closures")
        indexes = [models.Index(fields=["listing", "ends_on"]), models.Index(fields=["ends_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_after_it_starts")
        ]

    def __str__(self):
        return f"{self.starts_on:%Y-%m-%d} – {self.ends_on:%Y-%m-%d}"

    @property
    def days(self):
        return (self.ends_on - self.starts_on).days + 1

    def covers(self, day):
        return self.starts_on <= day <= self.ends_on

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError(
                    {"ends_on": _("The last day of the closure cannot be before its first day.")}, code="order"
                )
            if self.starts_on > paris_today() + datetime.timedelta(days=MAX_DAYS_AHEAD):
                raise ValidationError(
                    {"starts_on": _("A closure starts within a year from today at most: check the year.")},
                    code="too_far",
                )
            if self.days > MAX_DAYS:
                raise ValidationError(
                    {
                        "ends_on": _(
                            "A temporary closure lasts %(max)s days at most. For a longer one, change your opening "
                            "hours (for example “Nov-Mar off”)."
                        )
                        % {"max": MAX_DAYS}
                    },
                    code="too_long",
                )
