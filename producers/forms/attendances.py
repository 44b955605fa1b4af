"""The markets a producer attends, or a market's stands, as rows of a listing form.

A row names the other listing as the directory shows it ("Marché de Chalonnes (Chalonnes-sur-Loire)", which the
autocomplete offers; without JavaScript the name alone is enough when only one listing has it) and when: every
market day, some weeks of the month, in season, or other days in the opening-hours syntax. Cleaned rows are
[[other listing id, schedule], …] in `cleaned_data["markets"]` or `cleaned_data["stands"]`: what a moderation
revision stores and producers.attendances applies.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from localdir.text import fold
from producers import attendances, hours
from producers.attendances import EVERY, IN_SEASON, OTHER, SEASON, WHEN_CHOICES, label, market_weekdays, when_of
from producers.models import Listing

MARKETS, STANDS = "markets", "stands"
EXTRA_ROWS = 3
MAX_ROWS = 60
_LABEL = re.compile(r"^(?P<name>.*?)\s*\((?P<town>[^()]+)\)\s*$")


def schedule_for(when, other, market_hours):
    """The stored schedule of a row; ValidationError when it cannot be written."""
    if when == EVERY:
        return ""
    if when == IN_SEASON:
        return SEASON
    if when == OTHER:
        other = (other or "").strip()
        if not other:
            raise ValidationError(gettext("Write the days, e.g. “Sa[1,3]” or “Apr-Oct”, or choose another answer."))
        hours.validate_opening_hours(other)
        return other
    weekdays = market_weekdays(market_hours)
    if not weekdays:
        raise ValidationError(
            gettext("This market has no weekly day (a fair?): choose “every market day”, or write the days below.")
        )
    weeks = [int(week) for week in when.split(",")]
    return hours.calendar.days_with_weeks([hours.calendar.DAY_CODES[day] for day in weekdays], weeks)


def _named(listings, name):
    found = list(listings.filter(name__iexact=name)[:20])
    # Accents and apostrophes typed otherwise ("Marche de l'Ile"): the folded names of the search's matches.
    return found or [listing for listing in listings.search(name)[:50] if fold(listing.name) == fold(name)]


def resolve(text, side):
    """The published listing a row names: a market on a producer's form, a producer on a market's."""
    text = " ".join(text.split())
    listings = Listing.objects.published().select_related("commune")
    if side == MARKETS:
        listings = listings.filter(kind=Listing.Kind.MARKET)
    else:
        listings = listings.exclude(kind=Listing.Kind.MARKET)
    match = _LABEL.match(text)
    candidates = []
    if match:
        town = fold(match["town"])
        candidates = [found for found in _named(listings, match["name"]) if fold(found.commune.name) == town]
    if not candidates:
        # A name that holds brackets itself ("Marché bio (place Leclerc)"), or a name alone.
        candidates = _named(listings, text)
    name = match["name"] if match else text
    if not candidates:
        if side == MARKETS:
            message = gettext(
                "No market called “%(name)s” is in the directory yet. Check its name, or name it in “How people "
                "buy” for now."
            )
        else:
            message = gettext("No producer called “%(name)s” is in the directory yet. Check the name.")
        raise ValidationError(message % {"name": text})
    if len(candidates) > 1:
        raise ValidationError(
            gettext("Several listings are called “%(name)s”: add the town in brackets, e.g. “%(example)s”.")
            % {"name": name, "example": label(candidates[0])}
        )
    return candidates[0]


class AttendanceRowsMixin:
    """Rows of markets (a producer's form) or of stands (a market's form) on a ModelForm of a Listing.

    Call add_attendance_rows() at the end of __init__; the rows are cleaned in clean_attendance_rows() and written
    by save_attendances() (for a listing that is not public yet; otherwise a moderation revision carries them)."""

    attendance_side = None

    def add_attendance_rows(self, side, links=None):
        """The rows, filled with the instance's links, or with `links` ([[other listing id, schedule], …]: those of
        an edit waiting for review, which the form shows instead of the live ones)."""
        self.attendance_side = side
        for name in self.attendance_field_names() if hasattr(self, "attendance_rows") else []:
            del self.fields[name]
            self.initial.pop(name, None)
        current = []
        other = "market" if side == MARKETS else "producer"
        # Only published listings: a sign-up nobody has validated yet must not show its name on someone's form (its
        # link is kept as it is: attendances.apply_links()).
        if links is not None:
            schedules = dict(links)
            listings = Listing.objects.published().filter(pk__in=schedules).select_related("commune")
            current = [(listing, schedules[listing.pk]) for listing in listings.order_by("name", "pk")]
        elif self.instance.pk:
            rows = self.instance.attendances if side == MARKETS else self.instance.stands
            current = [
                (getattr(link, other), link.schedule)
                for link in rows.filter(**{f"{other}__status": Listing.Status.PUBLISHED})
                .select_related(f"{other}__commune")
                .order_by(f"{other}__name", "pk")
            ]
        count = len(current) + EXTRA_ROWS
        if self.is_bound:
            posted = [int(m[1]) for key in self.data if (m := re.match(rf"^{side}_(\d+)$", key))]
            count = max([count, *posted])
        count = min(count, MAX_ROWS)
        noun = _("Market %(number)s") if side == MARKETS else _("Producer %(number)s")
        self.attendance_rows = []
        for n in range(1, count + 1):
            name, when, other = f"{side}_{n}", f"{side}_{n}_when", f"{side}_{n}_other"
            self.fields[name] = forms.CharField(
                label=noun % {"number": n},
                max_length=200,
                required=False,
                widget=forms.TextInput(
                    attrs={
                        "list": f"{side}-options",
                        "autocomplete": "off",
                        "data-autocomplete-url": reverse("producers:listing_autocomplete")
                        + ("?kind=market" if side == MARKETS else ""),
                    }
                ),
            )
            self.fields[when] = forms.ChoiceField(
                label=_("When (row %(number)s)") % {"number": n}, choices=WHEN_CHOICES, required=False
            )
            self.fields[other] = forms.CharField(
                label=_("Other days (row %(number)s)") % {"number": n},
                max_length=200,
                required=False,
            )
            if n <= len(current):
                listing, schedule = current[n - 1]
                self.initial[name] = label(listing)
                self.initial[when], self.initial[other] = when_of(schedule)
            self.attendance_rows.append((name, when, other))

    def attendance_field_names(self):
        return [name for row in self.attendance_rows for name in row]

    def clean_attendance_rows(self, cleaned):
        side = self.attendance_side
        pairs, seen = [], set()
        for name, when, other in self.attendance_rows:
            text = (cleaned.get(name) or "").strip()
            if not text:
                if (cleaned.get(other) or "").strip():
                    self.add_error(name, gettext("Name the market these days are for, or clear them."))
                continue
            try:
                listing = resolve(text, side)
            except ValidationError as error:
                self.add_error(name, error)
                continue
            if listing.pk in seen or listing.pk == self.instance.pk:
                self.add_error(name, gettext("“%(name)s” is named twice: keep one row.") % {"name": label(listing)})
                continue
            seen.add(listing.pk)
            market_hours = listing.opening_hours if side == MARKETS else cleaned.get("opening_hours", "")
            try:
                schedule = schedule_for(cleaned.get(when) or EVERY, cleaned.get(other), market_hours)
            except ValidationError as error:
                self.add_error(other if cleaned.get(when) == OTHER else when, error)
                continue
            pairs.append([listing.pk, schedule])
        if side == MARKETS and pairs and cleaned.get("kind") == Listing.Kind.MARKET:
            self.add_error(
                self.attendance_rows[0][0],
                gettext("A market does not have a stand at other markets: clear these rows, or choose another kind."),
            )
        cleaned[side] = sorted(pairs)
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        self.save_attendances()

    def save_attendances(self):
        """Write the rows as links of the saved instance (not public yet: a pending listing)."""
        if self.attendance_side in self.cleaned_data:
            attendances.apply_links(self.instance, self.cleaned_data[self.attendance_side], self.attendance_side)
