"""The producer's pages behind the private link: editing the listing, confirming it, erasing it."""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from producers import hours
from producers.listing_data import blank_personal_data
from producers.models import Listing

from .. import spam
from ..forms import SubmissionForm
from ..limits import SendLimits
from ..models import (
    AlreadyDecided,
    EditToken,
    Revision,
    RevisionPhoto,
    confirm_by_producer,
    decisions_about,
    record_erasure,
    volunteer_message,
)
from ..revisions import serialize
from ..spam import may_store as _may_store
from ..versions import (
    EditedElsewhere,
    SavedAlready,
    WaitingEditDecided,
    check_not_edited_elsewhere,
    count_edit,
    edit_version,
    saved_already,
    sent_form,
)
from .links import _closed, _still_open, private_link
from .submit import _save_photos


def _latest_decision_id(listing):
    return decisions_about(listing).values_list("pk", flat=True).last() or 0


# The edit page carries the last decision the producer could know of, signed: a forged value would let a refused or
# withdrawn listing take edits again. A day is longer than anyone keeps the page open while editing.
SEEN_SALT = "moderation.seen"
SEEN_MAX_AGE = 24 * 60 * 60


def _sign_seen(listing, decision_id):
    return signing.TimestampSigner(salt=SEEN_SALT).sign(f"{listing.pk}:{decision_id}")


def _seen(request, listing):
    """The last decision the producer could know of: the one before they opened the form they are sending. An
    altered, expired or missing value counts as the latest decision: the edit is then judged as sent now."""
    if request.method == "POST":
        try:
            value = signing.TimestampSigner(salt=SEEN_SALT).unsign(request.POST.get("seen", ""), max_age=SEEN_MAX_AGE)
            listing_pk, decision_id = value.split(":")
            if int(listing_pk) == listing.pk:
                return int(decision_id)
        except (signing.BadSignature, ValueError):
            pass
    return _latest_decision_id(listing)


def _waiting_changed(request, pending_revision):
    """True if the page sent showed another waiting edit than the listing's now (its pk, empty for none): decided by a
    volunteer, or replaced, since the page was opened. A page without the field (shown before it existed) is not
    checked. Not signed: a forged value only shows its sender the form again."""
    sent = request.POST.get("waiting")
    return sent is not None and sent != str(getattr(pending_revision, "pk", ""))


def _form_for_waiting_edit(form, listing, pending_revision):
    """The sent form, bound again to the listing's current waiting edit: what the producer typed is kept, the photos
    they sent are kept (localdir.kept_files), and ticks on photos no longer among the waiting edit's are dropped."""
    form.is_valid()  # Not checked yet when the page was found stale before its checks.
    form.keep_photos()
    data = form.data.copy()
    name = form.add_prefix("remove_edit_photos")
    if pending_revision is None:
        data.setlist(name, [])
    else:
        still = {str(pk) for pk in pending_revision.photos.values_list("pk", flat=True)}
        data.setlist(name, [pk for pk in data.getlist(name) if pk in still])
    form = SubmissionForm(data, instance=listing, pending_edit=pending_revision)
    form.full_clean()
    return form


def _store_edit(listing, form, status):
    if status in (Listing.Status.PENDING, Listing.Status.REJECTED):
        # Not public: the volunteers will review it as it is now. Refused while the producer was editing, it goes
        # back to them, since they refused the version before this edit.
        listing.status = Listing.Status.PENDING
        form.save()
        for photo in form.cleaned_data.get("remove_photos") or []:
            photo.delete_files()
            photo.delete()
        _save_photos(form.photos(), listing)
    else:
        # Live (or taken down meanwhile): the public keeps seeing the approved version until a volunteer approves
        # this one.
        previous = listing.revisions.pending().last()
        # Read again under the lock: decided since the form counted the listing's photos with this edit's and took
        # the producer's ticks on them, storing the form would ignore those ticks and could exceed the limit.
        if getattr(previous, "pk", None) != getattr(form.pending_edit, "pk", None):
            raise WaitingEditDecided
        # The form showed the previous edit's values and markets (SubmissionForm.show_edit): what it sends replaces
        # them. Its photos, shown apart, are carried over below unless removed.
        data = serialize(form.cleaned_data, listing)
        listing.revisions.pending().update(status=Revision.Status.REJECTED)
        revision = Revision.objects.create(listing_id=listing.pk, data=data)
        if previous is not None:
            removed = form.cleaned_data.get("remove_edit_photos") or []
            for photo in removed:
                photo.delete_files()
                photo.delete()
            previous.photos.exclude(pk__in=[photo.pk for photo in removed]).update(revision=revision)
        _save_photos(form.photos(), revision, RevisionPhoto)


def _saved_page(request, listing, token, seen):
    listing.refresh_from_db()
    context = {
        "listing": listing,
        "token": token,
        "meanwhile": decisions_about(listing).filter(pk__gt=seen).select_related("content_type"),
    }
    return render(request, "moderation/edit_saved.html", context)


@require_http_methods(["GET", "POST"])
@private_link
@spam.refuses_caught
def edit(request, listing, token):
    seen = _seen(request, listing)
    if listing.status in (Listing.Status.REJECTED, Listing.Status.UNPUBLISHED):
        # Sent from a page opened before the volunteers' decision: the edit is kept (below). Otherwise the link
        # says why the listing is not in the directory.
        if request.method == "GET" or not decisions_about(listing).filter(pk__gt=seen).exists():
            raise _closed(listing)
    pending_revision = listing.revisions.pending().last()
    form = SubmissionForm(request.POST or None, request.FILES or None, instance=listing, pending_edit=pending_revision)
    if pending_revision is not None and not form.is_bound:
        form.show_edit(pending_revision.data)
    limits = SendLimits(request, "moderation.edit")
    version = None
    if request.method == "POST":
        # Before any check of the form: the edit it made may have removed photos it names, or reached the limits.
        sent = sent_form(listing, request.POST, request.FILES)
        if saved_already(listing.pk, sent):
            return _saved_page(request, listing, token, seen)
        spam.check(form)
        # A page shown again carries the version its browser sent: a form refused for a mistake must not make a stale
        # page current. Only the "changed in another tab" page carries the version as it is now (below).
        version = request.POST.get("version") or version
        # Checked before the form: its photo count and its ticks hold only for the waiting edit the page showed.
        waiting_changed = _waiting_changed(request, pending_revision)
        if waiting_changed or _may_store(form, limits):
            try:
                if waiting_changed:
                    # Another tab's edit replaces the waiting one too: that is said instead.
                    check_not_edited_elsewhere(listing, request.POST.get("version", ""), seen, sent)
                    raise WaitingEditDecided
                with transaction.atomic():
                    # Locked against a volunteer's decision or another tab's edit at the same moment: the status
                    # and the version read here are those that hold when this edit is written.
                    locked = Listing.objects.select_for_update().only("status", "email").get(pk=listing.pk)
                    _still_open(locked, token)
                    check_not_edited_elsewhere(listing, request.POST.get("version", ""), seen, sent)
                    listing.language = translation.get_language()
                    Listing.objects.filter(pk=listing.pk).update(language=listing.language)
                    _store_edit(listing, form, locked.status)
                    count_edit(listing.pk, sent)
            except SavedAlready:
                # Sent twice at the same moment: the first send stored it, and both get its answer.
                return _saved_page(request, listing, token, seen)
            except WaitingEditDecided:
                # Sent again, the form is checked against the listing as the volunteer left it: shown with the
                # waiting edit as it is now (none once approved, its photos then among the listing's), not the
                # decided one, so that a photo to remove is ticked among those the listing now has.
                version = edit_version(listing.pk)
                pending_revision = listing.revisions.pending().last()
                form = _form_for_waiting_edit(form, listing, pending_revision)
                form.add_error(
                    None,
                    _(
                        "A volunteer dealt with your waiting changes after you opened this page, and your photos "
                        "may have changed. What you entered here is kept below: check it, then send it again."
                    ),
                )
            except EditedElsewhere:
                # Sending this page again is then the producer's choice to replace the other tab's edit.
                version = edit_version(listing.pk)
                form.add_error(
                    None,
                    _(
                        "Your listing was changed in another tab or window after you opened this page. What you "
                        "entered here is kept below: check it, then send it again to replace those changes."
                    ),
                )
            else:
                form.discard_kept_photos()
                limits.count_stored()
                return _saved_page(request, listing, token, seen)
        form.keep_photos()
    context = {
        "form": form,
        "listing": listing,
        "token": token,
        "pending_revision": pending_revision,
        "waiting": str(getattr(pending_revision, "pk", "")),
        "seen": _sign_seen(listing, seen),
        "version": version or edit_version(listing.pk),
        "volunteer_message": volunteer_message(listing),
        "reply_to": settings.MODERATION_REPLY_TO,
    }
    return render(request, "moderation/edit.html", context, status=limits.status)


@require_http_methods(["GET", "POST"])
@private_link
def confirm(request, listing, token):
    """ "Yes, nothing changed", from the yearly email. GET shows the listing and a button, and changes nothing: mail
    scanners open the links of the emails they check. POST confirms it: public again at once if it had been hidden
    for want of confirmation, without review, since nothing in it changed."""
    if listing.status in (Listing.Status.REJECTED, Listing.Status.UNPUBLISHED):
        raise _closed(listing)
    context = {"listing": listing, "token": token}
    if listing.status == Listing.Status.PENDING:
        return render(request, "moderation/confirm.html", {**context, "pending": True})
    if request.method == "POST":
        was_hidden = listing.status == Listing.Status.UNCONFIRMED
        try:
            with transaction.atomic():
                # Same lock as an edit or an erasure at the same moment: the link is checked again under it.
                locked = Listing.objects.select_for_update().only("status", "email").get(pk=listing.pk)
                _still_open(locked, token)
                listing = confirm_by_producer(listing.pk)
        except AlreadyDecided:
            # Withdrawn by a volunteer while the page was open.
            listing.refresh_from_db()
            raise _closed(listing) from None
        return render(request, "moderation/confirmed.html", {**context, "listing": listing, "was_hidden": was_hidden})
    listing = Listing.objects.prefetch_related("categories").select_related("commune").get(pk=listing.pk)
    context.update(listing=listing, hours_rows=hours.describe(listing.opening_hours))
    return render(request, "moderation/confirm.html", context)


@require_http_methods(["GET", "POST"])
@private_link
def erase(request, listing, token):
    """GET: what erasing does, and a button. POST: unpublish, blank personal data, delete photos, revoke the link."""
    if request.method == "GET":
        return render(request, "moderation/erase.html", {"listing": listing, "token": token})
    with transaction.atomic():
        # Locked: an edit being written at the same moment either finishes first (and is erased below) or finds the
        # listing erased once it gets the lock, and brings no personal data back.
        listing = Listing.objects.select_for_update().get(pk=listing.pk)
        _still_open(listing, token)
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
        record_erasure(listing)
    return render(request, "moderation/erased.html")
