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
as what it does; its unique key makes a second run, or two runs at once, send nothing more. Its email leaves after
that transaction (on SQLite a transaction locks the whole database: a slow mail server must not hold it). An email
the server refuses leaves the step taken but not emailed: the next runs send it again for RESEND_DAYS, then the
listing joins the volunteers' queue ("email refused") while its timeline goes on, so an address that bounces never
keeps a dead listing public.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation

from producers.models import Listing

from . import emails, retention
from .models import ConfirmationStep, EditToken, ErrorReport, Revision, edit_url, record_hiding

Step = ConfirmationStep.Step
# How long a refused email is tried again, once a day, before the volunteers are asked to call.
RESEND_DAYS = timedelta(days=7)
# The reminder never comes less than this before the listing is hidden, whatever the settings.
MIN_REMINDER_NOTICE = timedelta(days=7)
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


def _reminder_notice():
    """How long after the reminder a listing may be hidden: the gap the settings leave, never less than a week (a
    reminder sent late, because the command did not run, still gives its whole notice)."""
    return max(hide_after() - ask_after() - remind_after(), MIN_REMINDER_NOTICE)


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
    reminded = taken.filter(step=Step.REMIND, taken_at__lte=now - _reminder_notice())
    return listings.filter(Exists(asked), Exists(reminded), confirmed_at__lte=now - hide_after())


def hiding_date(listing, asked_at, reminded_at=None):
    """When a listing asked at `asked_at` (and reminded at `reminded_at`, if it was) leaves the public pages without
    an answer (said in the emails)."""
    if reminded_at is None:
        reminded_at = max(asked_at + remind_after(), listing.confirmed_at + ask_after() + remind_after())
    return max(listing.confirmed_at + hide_after(), asked_at + _hide_wait(), reminded_at + _reminder_notice())


class NotSent(Exception):
    pass


def _send(listing, step):
    """Email the producer the message of `step` (a ConfirmationStep of the listing's current cycle) with a new
    private link; True, and the step marked emailed, if the mail server took it."""
    cycle = {s.step: s.taken_at for s in listing.confirmation_steps.filter(confirmed_at=listing.confirmed_at)}
    # The links open the pages in the producer's language, like the email itself.
    with translation.override(emails.producer_language(listing.language)):
        signed = EditToken.issue(listing)
        context = {
            "listing": listing,
            "edit_url": edit_url(signed),
            "confirm_url": settings.SITE_URL + reverse("moderation:confirm", kwargs={"token": signed}),
            "confirmed_on": timezone.localdate(listing.confirmed_at),
            "hidden_on": timezone.localdate(hiding_date(listing, cycle[Step.ASK], cycle.get(Step.REMIND))),
        }
        if Step.HIDE in cycle:
            # moderation.retention deletes it then if nobody claims it back.
            context["deleted_on"] = timezone.localdate(cycle[Step.HIDE] + timedelta(days=retention.retention_days()))
    if not emails.send(TEMPLATES[step.step], listing.email, context, listing.language):
        EditToken.discard(signed)  # nobody will ever hold it
        return False
    ConfirmationStep.objects.filter(pk=step.pk).update(emailed=True)
    return True


def _take(pk, step, now):
    """Take one step for one listing; True if taken, False if it was no longer due. Raises NotSent if the step was
    taken but its email could not go (the next runs send it again)."""
    with transaction.atomic():
        # Read again under the row lock: the producer may have confirmed or edited since the list was made.
        listing = due(step, now).select_for_update().filter(pk=pk).first()
        if listing is None:
            return False
        try:
            with transaction.atomic():
                # Marked emailed once the mail server took it: a run that dies before sends it at the next one.
                taken = ConfirmationStep.objects.create(
                    listing=listing, step=step, confirmed_at=listing.confirmed_at, taken_at=now, emailed=False
                )
        except IntegrityError:
            return False  # another run took it at the same moment
        if step == Step.HIDE:
            listing.status = Listing.Status.UNCONFIRMED
            listing.save(update_fields=["status"])
            record_hiding(listing)
    if listing.email and not _send(listing, taken):
        raise NotSent
    return True


def unsent(now):
    """Steps of the listings' current cycle whose email was refused less than RESEND_DAYS ago: to send again."""
    return ConfirmationStep.objects.filter(
        emailed=False,
        taken_at__gt=now - RESEND_DAYS,
        confirmed_at=F("listing__confirmed_at"),
        listing__status__in=[Listing.Status.PUBLISHED, Listing.Status.UNCONFIRMED],
    ).exclude(Q(listing__email="") | Exists(Revision.objects.pending().filter(listing=OuterRef("listing"))))


def _resend(step_pk, now):
    """Send again the refused email of a step still current; True if sent."""
    with transaction.atomic():
        step = unsent(now).select_for_update().filter(pk=step_pk).first()
        if step is None:
            return False  # sent by another run, or the producer answered
        expected = Listing.Status.UNCONFIRMED if step.step == Step.HIDE else Listing.Status.PUBLISHED
        listing = step.listing
        if listing.status != expected:
            return False
    return _send(listing, step)


@dataclass
class Run:
    asked: int = 0
    reminded: int = 0
    hidden: int = 0
    not_sent: int = 0
    sent_again: int = 0


def run(now=None):
    """Take every step due at `now`; returns how many of each were taken."""
    now = now or timezone.now()
    result = Run()
    for pk in list(unsent(now).order_by("pk").values_list("pk", flat=True)):
        if _resend(pk, now):
            result.sent_again += 1
        else:
            result.not_sent += 1
    for step, counter in ((Step.ASK, "asked"), (Step.REMIND, "reminded"), (Step.HIDE, "hidden")):
        for pk in list(due(step, now).order_by("pk").values_list("pk", flat=True)):
            try:
                taken = _take(pk, step, now)
            except NotSent:
                result.not_sent += 1
                taken = True
            if taken:
                setattr(result, counter, getattr(result, counter) + 1)
    return result


def stale_listings(now=None):
    """What volunteers should check, by phone if need be: listings hidden for want of confirmation, listings that
    shoppers report closed for good, and published ones past their yearly question with no address to ask it or
    an address that refused it for RESEND_DAYS. Annotated `reported_closed` and `email_refused`."""
    now = now or timezone.now()
    reported = ErrorReport.objects.open().filter(listing=OuterRef("pk"), kind=ErrorReport.Kind.CLOSED)
    refused = ConfirmationStep.objects.filter(
        listing=OuterRef("pk"), confirmed_at=OuterRef("confirmed_at"), emailed=False, taken_at__lte=now - RESEND_DAYS
    )
    return Listing.objects.annotate(reported_closed=Exists(reported), email_refused=Exists(refused)).filter(
        Q(status=Listing.Status.UNCONFIRMED)
        | Q(status=Listing.Status.PUBLISHED)
        & (
            Q(reported_closed=True)
            | Q(email="", confirmed_at__lte=now - ask_after())
            | Q(email_refused=True) & ~Q(email="")
        )
    )
