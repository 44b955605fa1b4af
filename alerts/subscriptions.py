"""What happens to a subscription: asked for, confirmed, the weekly digests, unsubscribed, forgotten.

Emails leave once the transaction that caused them has committed (alerts.emails), through the mail server's
EMAIL_TIMEOUT.
"""

import hashlib
from datetime import timedelta
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from producers import hours

from . import emails
from .models import Digest, Subscription, query_key

# A digest shows this many listings at most, then links to the page with all of them.
DIGEST_ITEMS = 20
CONFIRMATIONS_PER_DAY = 3


def unconfirmed_days():
    return settings.ALERTS_UNCONFIRMED_DAYS


def subscribe(email, follow, language):
    """Ask for a subscription: a new one is stored unconfirmed and its confirmation request sent after commit. An
    address already following this query gets the request again while unconfirmed, nothing once confirmed; the
    page says the same in every case, so it never tells whether an address is known."""
    email = email.strip().lower()
    fields = follow.as_fields()
    with transaction.atomic():
        existing = (
            Subscription.objects.select_for_update()
            .filter(email=email, query_key=query_key(fields["department"], fields["commune"], fields["params"]))
            .first()
        )
        if existing is not None:
            if existing.confirmed_at is None and may_send_confirmation(email):
                transaction.on_commit(partial(emails.send, "confirm", existing, one_click=False))
            return existing
        try:
            with transaction.atomic():
                subscription = Subscription.objects.create(email=email, language=language, **fields)
        except IntegrityError:  # the same form sent twice at once: the first one is enough
            return None
        if may_send_confirmation(email):
            transaction.on_commit(partial(emails.send, "confirm", subscription, one_click=False))
    return subscription


def may_send_confirmation(email):
    """Whether `email` may receive one more confirmation request today: CONFIRMATIONS_PER_DAY at most, whatever
    the queries and the senders' addresses, so that the form cannot fill a stranger's mailbox. Past it the request is
    stored all the same (the page says the same) and the address can confirm from an earlier email or tomorrow."""
    key = "alerts:confirmations:" + hashlib.sha256(email.encode()).hexdigest()
    cache.add(key, 0, timeout=24 * 3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # evicted in between
        cache.set(key, 1, timeout=24 * 3600)
        sent = 1
    return sent <= CONFIRMATIONS_PER_DAY


def confirm(subscription):
    """Double opt-in, second step (a POST from the link's page). True if it was waiting for it."""
    updated = Subscription.objects.filter(pk=subscription.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    subscription.refresh_from_db()
    return bool(updated)


def unsubscribe(subscription):
    """Forget the address at once, with its digests."""
    Subscription.objects.filter(pk=subscription.pk).delete()


def week_of(moment):
    """The Monday, in Paris, of the week `moment` falls in."""
    day = timezone.localtime(moment, hours.PARIS).date()
    return day - timedelta(days=day.weekday())


def _due(now):
    """Subscriptions confirmed before this week began that have no digest for this week yet."""
    week = week_of(now)
    start = timezone.make_aware(timezone.datetime.combine(week, timezone.datetime.min.time()), hours.PARIS)
    return (
        Subscription.objects.filter(confirmed_at__lt=start)
        .exclude(digests__week=week)
        .select_related("department", "commune__department")
        .order_by("pk")
    )


def _claim(subscription, week, now):
    """Record this week's digest of `subscription`, or None if another run recorded it first. On PostgreSQL a run
    at the same moment waits on the unique key until the first commits, then finds it taken."""
    previous = subscription.digests.order_by("-week").values_list("until", flat=True).first()
    since = previous or subscription.confirmed_at
    try:
        with transaction.atomic():
            digest = Digest.objects.create(subscription=subscription, week=week, until=now)
    except IntegrityError:
        return None, None
    return digest, since


def new_listings(subscription, since, until):
    """What the digest covering (since, until] shows: published listings of the query changed in between."""
    return (
        subscription.follow()
        .listings()
        .filter(changed_at__gt=since, changed_at__lte=until)
        .select_related("commune__department")
    )


class Sent(NamedTuple):
    recorded: int  # digests due this week (with or without anything new)
    sent: int  # emails the mail server took
    failed: int  # emails it refused: their digests are not spent, the next run tries again


def send_digests(now=None):
    """This week's digest for every subscription due: an email only when something is new.

    The digest is claimed (recorded) first, in its own transaction, so that two runs at once never send it twice;
    the email goes out after that commit, and when the mail server refuses it the claim is withdrawn, so that the
    next run sends the same week's digest instead of losing it."""
    now = now or timezone.now()
    week = week_of(now)
    recorded = sent = failed = 0
    for subscription in _due(now):
        context = None
        with transaction.atomic():
            digest, since = _claim(subscription, week, now)
            if digest is None:
                continue
            recorded += 1
            listings = list(new_listings(subscription, since, now)[: DIGEST_ITEMS + 1])
            if listings:
                digest.listings = len(listings)
                digest.save(update_fields=["listings"])
                context = {"listings": listings[:DIGEST_ITEMS], "more": len(listings) > DIGEST_ITEMS, "since": since}
        if context is None:
            continue
        if emails.send("digest", subscription, context):
            sent += 1
        else:
            digest.delete()
            failed += 1
    return Sent(recorded, sent, failed)


def forgotten(now):
    """Subscriptions nobody confirmed within ALERTS_UNCONFIRMED_DAYS."""
    return Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - timedelta(days=unconfirmed_days())
    )


def purge(now=None, dry_run=False):
    """For purge_personal_data (localdir.retention): delete the subscriptions never confirmed."""
    now = now or timezone.now()
    unconfirmed = forgotten(now)
    count = unconfirmed.count()
    if not dry_run:
        unconfirmed.delete()
    verb = "would be" if dry_run else "were"
    return [f"{count} email alerts never confirmed within {unconfirmed_days()} days {verb} deleted."]
