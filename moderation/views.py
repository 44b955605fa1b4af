"""Public moderation pages: registering an activity, the private edit link, lost links, shoppers' error reports."""

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from producers.listing_data import blank_personal_data
from producers.models import Listing, ListingPhoto

from . import emails
from .forms import ErrorReportForm, LostLinkForm, SubmissionForm
from .models import EditToken, Revision, RevisionPhoto
from .revisions import serialize


def _rate(name, default):
    return getattr(settings, f"MODERATION_{name}_RATE", default)


def _blocked(request, form, template, context=None):
    """Rate limit and spam traps: a polite refusal, nothing stored. None if the request may go on."""
    if is_ratelimited(request, group=template, key="ip", rate=_rate("SUBMIT", "5/h"), method="POST", increment=True):
        return render(request, "moderation/blocked.html", {"reason": "rate"}, status=429)
    if form.is_spam():
        return render(request, "moderation/blocked.html", {"reason": "spam"}, status=400)
    return None


def _save_photos(photos, owner, model=ListingPhoto):
    """Store already re-encoded photos after the owner's existing ones (owner: a Listing or a Revision)."""
    start = owner.photos.count()
    for position, image in enumerate(photos, start=start):
        model.from_processed(image, position=position, **{owner._meta.model_name: owner}).save()


@require_http_methods(["GET", "POST"])
def submit(request):
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        blocked = _blocked(request, form, "moderation.submit")
        if blocked:
            return blocked
        if form.is_valid():
            # Photos were checked and re-encoded while cleaning: only database writes remain, all or nothing.
            with transaction.atomic():
                listing = form.save(commit=False)
                listing.status = Listing.Status.PENDING
                listing.save()
                form.save_m2m()
                _save_photos(form.photos(), listing)
                emails.send_with_link("submitted", listing)
            return redirect("moderation:submitted")
    return render(request, "moderation/submit.html", {"form": form})


def submitted(request):
    return render(request, "moderation/submitted.html")


@require_http_methods(["GET", "POST"])
def lost_link(request):
    form = LostLinkForm(request.POST or None)
    if request.method == "POST":
        blocked = _blocked(request, form, "moderation.lost_link")
        if blocked:
            return blocked
        if form.is_valid():
            # The same answer whatever is typed: the page never tells whether an address is known.
            listings = Listing.objects.filter(
                email__iexact=form.cleaned_data["email"],
                status__in=[Listing.Status.PENDING, Listing.Status.PUBLISHED],
            )
            for listing in listings:
                emails.send_with_link("lost_link", listing)
            return render(request, "moderation/lost_link_sent.html")
    return render(request, "moderation/lost_link.html", {"form": form})


def _get_listing_for_token(token):
    """The listing a private link opens; 404 for a forged, revoked or unknown link."""
    edit_token = EditToken.find(token)
    if edit_token is None or edit_token.listing.status in (Listing.Status.UNPUBLISHED, Listing.Status.REJECTED):
        raise Http404
    return Listing.objects.select_related("commune").get(pk=edit_token.listing_id)


@require_http_methods(["GET", "POST"])
def edit(request, token):
    listing = _get_listing_for_token(token)
    pending_revision = listing.revisions.pending().last()
    form = SubmissionForm(request.POST or None, request.FILES or None, instance=listing)
    if request.method == "POST":
        blocked = _blocked(request, form, "moderation.edit")
        if blocked:
            return blocked
        if form.is_valid():
            with transaction.atomic():
                # Locked against a volunteer's decision at the same moment: the status read here is the one that
                # holds when this edit is written.
                status = Listing.objects.select_for_update().values_list("status", flat=True).get(pk=listing.pk)
                if status == Listing.Status.PENDING:
                    # Not public yet: the volunteers will review it as it is now.
                    form.save()
                    for photo in form.cleaned_data.get("remove_photos") or []:
                        photo.delete_files()
                        photo.delete()
                    _save_photos(form.photos(), listing)
                else:
                    # Live: the public keeps seeing the approved version until a volunteer approves this one.
                    listing.revisions.pending().update(status=Revision.Status.REJECTED)
                    revision = Revision.objects.create(listing_id=listing.pk, data=serialize(form.cleaned_data))
                    _save_photos(form.photos(), revision, RevisionPhoto)
            return render(request, "moderation/edit_saved.html", {"listing": listing, "token": token})
    context = {"form": form, "listing": listing, "token": token, "pending_revision": pending_revision}
    return render(request, "moderation/edit.html", context)


@require_http_methods(["GET", "POST"])
def erase(request, token):
    """GET: what erasing does, and a button. POST: unpublish, blank personal data, delete photos, revoke the link."""
    listing = _get_listing_for_token(token)
    if request.method == "GET":
        return render(request, "moderation/erase.html", {"listing": listing, "token": token})
    with transaction.atomic():
        # The pin is often the producer's home: it goes back to the town's reference point.
        blank_personal_data(listing)
        listing.status = Listing.Status.UNPUBLISHED
        listing.save()
        for photo in listing.photos.all():
            photo.delete_files()
            photo.delete()
        for revision in listing.revisions.all():
            for photo in revision.photos.all():
                photo.delete_files()
            revision.delete()
        EditToken.revoke_all(listing)
    return render(request, "moderation/erased.html")


@require_http_methods(["GET", "POST"])
def report(request, slug):
    listing = get_object_or_404(Listing.objects.published(), slug=slug)
    form = ErrorReportForm(request.POST or None)
    if request.method == "POST":
        blocked = _blocked(request, form, "moderation.report")
        if blocked:
            return blocked
        if form.is_valid():
            error_report = form.save(commit=False)
            error_report.listing = listing
            error_report.save()
            return render(request, "moderation/report_sent.html", {"listing": listing})
    return render(request, "moderation/report.html", {"form": form, "listing": listing})
