"""Listings that stay true: every published listing is confirmed once a year, or leaves the public pages.

The clock is the listing's `confirmed_at`, set by each approval, approved edit and confirmation. From it:
- after LISTING_CONFIRM_AFTER_DAYS (365), its producer is asked "Is your listing still correct?", with a link to say
  "yes, nothing changed" (a page with a POST button) and one to edit it;
- LISTING_CONFIRM_REMINDER_DAYS (30) after the question, a reminder;
- after LISTING_HIDE_AFTER_DAYS (425), and never sooner after the question than the settings' gap (60 days), the
  listing is hidden (status "unconfirmed", logged as a decision), its producer told how to bring it back, and it
  joins the volunteers' stale queue, beside listings that shoppers report closed.
A listing with an edit waiting for review is left alone: its producer has answered.

`manage.py confirm_listings` runs `run()` daily. Each step is a ConfirmationStep row written in the same transaction
as what it does; its unique key makes a second run, or two runs at once, send nothing more. An email the server
refuses rolls its step back, so the next run tries again.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from producers.models import Listing

from . import emails
from .models import ConfirmationStep, EditToken, ErrorReport, Revision, edit_url, record_hiding

Step = ConfirmationStep.Step
TEMPLATES = {Step.ASK: "confirm_ask", Step.REMIND: "confirm_remind", Step.HIDE: "confirm_hidden"}


def _days(name):
    return timedelta(days=getattr(settings, name))


def ask_after():
    return _days("LISTING_CONFIRM_AFTER_DAYS")


def remind_after():
    return _days("LISTING_CONFIRM_REMINDER_DAYS")


def hide_after():
    return _days("LISTING_HIDE_AFTER_DAYS")


def _hide_wait():
    """How long after the question a listing may be hidden: a producer asked late (the command did not run, or the
    listing was already old when this feature arrived) still gets the whole delay, and the reminder before it."""
    return max(hide_after() - ask_after(), remind_after())


def due(step, now):
    """Published listings whose `step` is due at `now` and not taken yet for their current confirmation date."""
    taken = ConfirmationStep.objects.filter(listing=OuterRef("pk"), confirmed_at=OuterRef("confirmed_at"))
    listings = (
        Listing.objects.published()
        .filter(confirmed_at__isnull=False)
        .exclude(Exists(Revision.objects.pending().filter(listing=OuterRef("pk"))))
        .exclude(Exists(taken.filter(step=step)))
    )
    if step == Step.ASK:
        return listings.filter(confirmed_at__lte=now - ask_after())
    if step == Step.REMIND:
        asked = taken.filter(step=Step.ASK, taken_at__lte=now - remind_after())
        return listings.filter(Exists(asked), confirmed_at__lte=now - ask_after() - remind_after())
    asked = taken.filter(step=Step.ASK, taken_at__lte=now - _hide_wait())
    reminded = taken.filter(step=Step.REMIND)
    return listings.filter(Exists(asked), Exists(reminded), confirmed_at__lte=now - hide_after())


def hiding_date(listing, asked_at):
    """When a listing asked at `asked_at` leaves the public pages without an answer (said in the emails)."""
    return max(listing.confirmed_at + hide_after(), asked_at + _hide_wait())


class NotSent(Exception):
    pass


def _take(pk, step, now):
    """Take one step for one listing; True if taken, False if it was no longer due. Raises NotSent (and changes
    nothing) if the email could not go."""
    with transaction.atomic():
        # Read again under the row lock: the producer may have confirmed or edited since the list was made.
        listing = due(step, now).select_for_update().filter(pk=pk).first()
        if listing is None:
            return False
        try:
            with transaction.atomic():
                ConfirmationStep.objects.create(
                    listing=listing,
                    step=step,
                    confirmed_at=listing.confirmed_at,
                    taken_at=now,
                    emailed=bool(listing.email),
                )
        except IntegrityError:
            return False  # another run took it at the same moment
        if step == Step.HIDE:
            listing.status = Listing.Status.UNCONFIRMED
            listing.save(update_fields=["status"])
            record_hiding(listing)
        if listing.email:
            asked = listing.confirmation_steps.get(step=Step.ASK, confirmed_at=listing.confirmed_at)
            signed = EditToken.issue(listing)
            context = {
                "listing": listing,
                "edit_url": edit_url(signed),
                "confirm_url": settings.SITE_URL + reverse("moderation:confirm", kwargs={"token": signed}),
                "confirmed_on": timezone.localdate(listing.confirmed_at),
                "hidden_on": timezone.localdate(hiding_date(listing, asked.taken_at)),
            }
            if not emails.send(TEMPLATES[step], listing.email, context, listing.language):
                raise NotSent
    return True


@dataclass
class Run:
    asked: int = 0
    reminded: int = 0
    hidden: int = 0
    not_sent: int = 0


def run(now=None):
    """Take every step due at `now`; returns how many of each were taken."""
    now = now or timezone.now()
    result = Run()
    for step, counter in ((Step.ASK, "asked"), (Step.REMIND, "reminded"), (Step.HIDE, "hidden")):
        for pk in list(due(step, now).order_by("pk").values_list("pk", flat=True)):
            try:
                taken = _take(pk, step, now)
            except NotSent:
                result.not_sent += 1
                continue
            if taken:
                setattr(result, counter, getattr(result, counter) + 1)
    return result


def stale_listings(now=None):
    """What volunteers should check, by phone if need be: listings hidden for want of confirmation, listings that
    shoppers report closed for good, and published ones past their yearly question with no address to ask it.
    Annotated `reported_closed`."""
    now = now or timezone.now()
    reported = ErrorReport.objects.open().filter(listing=OuterRef("pk"), kind=ErrorReport.Kind.CLOSED)
    return Listing.objects.annotate(reported_closed=Exists(reported)).filter(
        Q(status=Listing.Status.UNCONFIRMED)
        | Q(status=Listing.Status.PUBLISHED)
        & (Q(reported_closed=True) | Q(email="", confirmed_at__lte=now - ask_after()))
    )
