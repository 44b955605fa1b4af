"""Department teams: each volunteer's departments come first in the queue, and their digest covers only them."""

from datetime import timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Value, When
from django.urls import reverse
from django.utils import timezone

from producers.models import Department, Listing

from .models import ErrorReport, ModeratorProfile, Revision


def departments_of(user):
    """The ids of the user's departments; empty when they have none (they look after everything)."""
    return list(
        ModeratorProfile.objects.filter(user=user, departments__isnull=False).values_list("departments", flat=True)
    )


def mine_first(queryset, department_ids, path="department"):
    """The queryset with the given departments' items first, annotated `in_my_departments`; call order_by() after
    with "-in_my_departments" first."""
    mine = When(**{f"{path}__in": department_ids}, then=Value(True)) if department_ids else None
    return queryset.annotate(
        in_my_departments=Case(mine, default=Value(False), output_field=BooleanField())
        if mine
        else Value(False, output_field=BooleanField())
    )


def counts_by_department(first=()):
    """[(department, {"listings", "revisions", "reports"})] for the departments with something to review, the
    `first` ones (a volunteer's) first, then by code. Three grouped counts, whatever the number of listings."""
    counts = {}
    for key, rows in (
        ("listings", Listing.objects.filter(status=Listing.Status.PENDING).values_list("department")),
        ("revisions", Revision.objects.pending().values_list("listing__department")),
        ("reports", ErrorReport.objects.open().values_list("listing__department")),
    ):
        for department_id, n in rows.annotate(n=Count("pk")).order_by():
            counts.setdefault(department_id, {"listings": 0, "revisions": 0, "reports": 0})[key] = n
    departments = Department.objects.in_bulk(list(counts))
    first = set(first)
    order = sorted(counts, key=lambda pk: (pk not in first, departments[pk].code))
    return [(departments[pk], counts[pk]) for pk in order]


def new_submissions(profile, since):
    """New listings (or ones sent again) and edits awaiting review since `since`, in the volunteer's departments
    (all departments when they have none)."""
    listings = Listing.objects.filter(status=Listing.Status.PENDING, updated_at__gt=since).select_related("commune")
    revisions = Revision.objects.pending().filter(created_at__gt=since).select_related("listing__commune")
    department_ids = list(profile.departments.values_list("pk", flat=True))
    if department_ids:
        listings = listings.filter(department__in=department_ids)
        revisions = revisions.filter(listing__department__in=department_ids)
    return list(listings.order_by("updated_at")), list(revisions.order_by("created_at"))


def send_digests(now=None):
    """Email each opted-in volunteer what arrived since their last digest; returns (how many were sent, how many
    the mail server refused).

    At most one a day (Europe/Paris): running the command again the same day sends nothing. A failed email is
    retried at the next run, since the volunteer's last digest date only moves when it was sent (or was empty)."""
    from . import emails

    now = now or timezone.now()
    sent = failed = 0
    profiles = (
        ModeratorProfile.objects.filter(daily_digest=True, user__is_active=True, user__is_staff=True)
        .exclude(user__email="")
        .select_related("user")
    )
    for profile in profiles:
        if profile.last_digest_at and timezone.localdate(profile.last_digest_at) == timezone.localdate(now):
            continue
        if not profile.user.has_perm("moderation.change_pendinglisting"):
            continue
        listings, revisions = new_submissions(profile, profile.last_digest_at or now - timedelta(days=1))
        if listings or revisions:
            context = {
                "listings": listings,
                "revisions": revisions,
                "count": len(listings) + len(revisions),
                "departments": list(profile.departments.all()),
                "queue_url": settings.SITE_URL + reverse("admin:moderation_queue"),
            }
            if not emails.send("digest", profile.user.email, context):
                failed += 1
                continue
            sent += 1
        profile.last_digest_at = now
        profile.save(update_fields=["last_digest_at"])
    return sent, failed
