"""Registering an activity."""

from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_http_methods

from producers.models import Listing, ListingPhoto
from producers.models.listing import next_photo_position

from .. import emails, spam
from ..forms import SubmissionForm
from ..limits import SendLimits
from ..models import AlreadySent, SentForm


def _save_photos(photos, owner, model=ListingPhoto):
    """Store already re-encoded photos after the owner's existing ones (owner: a Listing or a Revision)."""
    start = next_photo_position(owner.photos, adding=len(photos))
    for position, image in enumerate(photos, start=start):
        model.from_processed(image, position=position, **{owner._meta.model_name: owner}).save()


@require_http_methods(["GET", "POST"])
@spam.refuses_caught
def submit(request):
    form = SubmissionForm(request.POST or None, request.FILES or None)
    # A one-time token per page: a double click or a browser sending the page again stores one listing.
    once = request.POST.get("once", "") if request.method == "POST" else SentForm.new_token()
    limits = SendLimits(request, "moderation.submit")
    if request.method == "POST":
        # Only the same content counts as sent again: Back, then another farm on the same page, is a new registration.
        digest = SentForm.digest_of(request.POST, request.FILES)
        if SentForm.was_sent(once, digest):
            return redirect("moderation:submitted")
        if spam.accepted(request, form, limits):
            try:
                # Photos were checked and re-encoded while cleaning: only database writes remain, all or nothing.
                with transaction.atomic():
                    # First: the same page sent twice at once waits here until the first send is stored.
                    SentForm.consume(once, digest)
                    listing = form.save(commit=False)
                    listing.status = Listing.Status.PENDING
                    listing.language = translation.get_language()
                    listing.save()
                    form.save_m2m()
                    _save_photos(form.photos(), listing)
                    emails.send_with_link("submitted", listing)
            except AlreadySent:
                pass  # stored by the first send, which got the same answer
            else:
                form.discard_kept_photos()
                limits.count_stored()
            return redirect("moderation:submitted")
        form.keep_photos()
    once = SentForm.token_for_page(once)
    return render(request, "moderation/submit.html", {"form": form, "once": once}, status=limits.status)


def submitted(request):
    return render(request, "moderation/submitted.html")
