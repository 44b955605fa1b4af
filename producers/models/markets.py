"""Who is at which market: the "attends" link between a producer's listing and a market's listing.

A market is a Listing of kind "market" (its address, hours, photos and moderation are a listing's); an Attendance
row says that a producer has a stand there, on the market's days or on some of them. Rows are only written by
approved changes (a volunteer approving a sign-up, an edit, an organiser's list of stands, a suggestion), and the
public pages only show the rows whose two listings are published.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from producers.hours import next_openings, validate_opening_hours

from .listing import Listing
from .taxonomy import Category


class AttendanceQuerySet(models.QuerySet):
    def public(self):
        """Links shown on the public pages: a published producer at a published market."""
        return self.filter(
            producer__status=Listing.Status.PUBLISHED,
            market__status=Listing.Status.PUBLISHED,
            market__kind=Listing.Kind.MARKET,
        )

    def stands_of(self, market):
        """A market's public links with their producer and its commune (one query) and the producer's categories
        (a second query), by producer name: the market page lists its producers by category from these."""
        return (
            self.public()
            .filter(market=market)
            .select_related("producer__commune")
            .prefetch_related(Prefetch("producer__categories", queryset=Category.objects.order_by("position", "name")))
            .order_by("producer__name", "producer__pk")
        )

    def markets_of(self, producer):
        """A producer's public links with their market and its commune (one query), by market name."""
        return (
            self.public()
            .filter(producer=producer)
            .select_related("market__commune")
            .order_by("market__name", "market__pk")
        )


class Attendance(models.Model):
    """A producer's stand at a market, with the days they are there."""

    producer = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("producer")
    )
    market = models.ForeignKey(
        Listing,
        on_delete=models.CASCADE,
        related_name="stands",
        limit_choices_to={"kind": Listing.Kind.MARKET},
        verbose_name=_("market"),
    )
    # Read within the market's own hours: "" every market day, "Sa[1,3]" the 1st and 3rd Saturdays, "Apr-Oct" in
    # season. Times may narrow it further ("Sa 08:00-10:00").
    schedule = models.CharField(
        _("days at the market"),
        max_length=200,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_("Empty: every market day. Otherwise in the opening-hours syntax, e.g. “Sa[1,3]” or “Apr-Oct”."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["market__name", "pk"]
        verbose_name = _("stand at a market")
        verbose_name_plural = _("stands at markets")
        constraints = [
            models.UniqueConstraint(fields=["producer", "market"], name="attendance_once_per_market"),
            models.CheckConstraint(condition=~Q(producer=models.F("market")), name="attendance_not_itself"),
        ]

    def __str__(self):
        return _("%(producer)s at %(market)s") % {"producer": self.producer, "market": self.market}

    def clean(self):
        super().clean()
        if self.market_id and self.market.kind != Listing.Kind.MARKET:
            raise ValidationError({"market": _("This listing is not a market.")})
        if self.producer_id and self.producer.kind == Listing.Kind.MARKET:
            raise ValidationError({"producer": _("A market cannot have a stand at another market.")})

    def next_visits(self, moment=None, count=1):
        """The next `count` (opens_at, closes_at) the producer is at the market, in Europe/Paris, within a year."""
        return next_openings(self.market.opening_hours, moment or timezone.now(), count, within=self.schedule)

    def next_visit(self, moment=None):
        """The next (opens_at, closes_at) the producer is at the market, or None."""
        visits = self.next_visits(moment)
        return visits[0] if visits else None
