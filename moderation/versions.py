"""The private edit page open in two tabs or windows: the version of the listing a page was built from, sent with
its form, and the check that refuses a form from a page older than another tab's saved edit (which it would
silently undo) with a message instead.

A version is "<the producer's saved edits>:<digest of their own values>". The count (ProducerEdits) moves with every
edit the producer saves, whatever it changed: markets and stands too, and photos, on a listing not published yet as
on a published one. The digest moves when someone else changes those values (a volunteer repairing the hours or
approving an edit); only an approval, which the saved page tells, excuses it.

The form an edit was saved from, sent again (a double click, the browser sending the page again), carries the version
from before that save: it is answered as saved, and nothing more is stored, rather than told of another tab.
"""

import hashlib
import json

from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from producers import attendances, listing_data
from producers.models import DeliveryMode, Listing

from .models import Decision, ProducerEdits, Revision, SentForm, decisions_about


class EditedElsewhere(Exception):
    """Another tab or window saved an edit after the page being sent was opened."""


class WaitingEditDecided(EditedElsewhere):
    """A volunteer decided on the waiting edit the page showed (approved it: its photos joined the listing) between
    the form's checks and its storing: the form's count of photos and its ticks on that edit's photos no longer
    hold."""


class SavedAlready(Exception):
    """The form being sent is the one the producer's last edit was saved from: it was stored once already."""


def _producers_own_values(listing):
    """The listing's values only its producer changes: neither its markets or stands (a market organiser's approved
    list, a market withdrawn by a volunteer or hidden by the daily job change them) nor the "on the markets" delivery
    mode those links add and remove without details (attendances.sync_delivery_modes)."""
    data = {**listing_data.serialize_listing(listing), "photos": sorted(listing.photos.values_list("pk", flat=True))}
    on_markets = DeliveryMode.objects.filter(code=attendances.MARKETS_MODE).values_list("pk", flat=True).first()
    data["delivery_modes"] = [
        [mode, details] for mode, details in data["delivery_modes"] if mode != on_markets or details
    ]
    return data


def edit_version(listing_pk):
    """What the private edit page is built from: an edit saved from another tab or window changes it, and so does a
    volunteer's change of the producer's values; a market's list of stands does not."""
    listing = Listing.objects.get(pk=listing_pk)
    digest = hashlib.sha256(json.dumps(_producers_own_values(listing), sort_keys=True, default=str).encode())
    edits = ProducerEdits.objects.filter(listing_id=listing_pk).values_list("count", flat=True).first() or 0
    return f"{edits}:{digest.hexdigest()[:24]}"


def sent_form(listing, data, files):
    """What a form sent to the edit page says (its version and "seen" fields among it), and the volunteers' latest
    decision on the listing: sent again after a decision (a refusal changes no value, so the version does not show
    it), the same form is no double click, and is told of the change rather than answered "saved" unstored."""
    latest = decisions_about(listing).values_list("pk", flat=True).last() or 0
    return hashlib.sha256(f"{SentForm.digest_of(data, files)}:{latest}".encode()).hexdigest()


def _saved_from(listing_pk, sent):
    """The form `sent` and the version it left the listing at: a volunteer's change since (a repair of the hours,
    which records no decision) moves the version, and the same form sent again is then told of it, not "saved"."""
    return hashlib.sha256(f"{sent}:{edit_version(listing_pk)}".encode()).hexdigest()


def saved_already(listing_pk, sent):
    """True if `sent` (sent_form()) is the form the producer's last saved edit came from, and nothing changed since."""
    last = ProducerEdits.objects.filter(listing_id=listing_pk).values_list("last_sent", flat=True).first()
    return bool(last) and last == _saved_from(listing_pk, sent)


def count_edit(listing_pk, sent):
    """Count an edit the producer saved from the form `sent` (sent_form()), once stored, in its transaction and under
    the listing's row lock (which also keeps two first edits from both creating the row)."""
    if not ProducerEdits.objects.filter(listing_id=listing_pk).update(count=F("count") + 1):
        ProducerEdits.objects.create(listing_id=listing_pk, count=1)
    ProducerEdits.objects.filter(listing_id=listing_pk).update(last_sent=_saved_from(listing_pk, sent))


def edited_elsewhere(listing_pk, sent_version, edit_approved_meanwhile):
    """True if the listing was edited since the page that sent `sent_version` was opened, by the producer in another
    tab or window: their edit would silently undo that one. A page without a version (opened before versions
    existed) is not checked. Only a volunteer's approval of an edit meanwhile changes the values otherwise, and it is
    told on the saved page instead (the view's "meanwhile"); any other decision (asking for changes) leaves them as
    they were, so a change then is another tab's."""
    if not sent_version:
        return False
    sent_edits, _sep, sent_digest = sent_version.partition(":")
    edits, _sep, digest = edit_version(listing_pk).partition(":")
    if sent_edits != edits:
        return True
    return sent_digest != digest and not edit_approved_meanwhile


def check_not_edited_elsewhere(listing, sent_version, seen, sent):
    """Raise EditedElsewhere if the page that sent `sent_version` is older than another tab's saved edit, or
    SavedAlready if that edit was saved from this very form (`sent`, from sent_form()). Called under the listing's row
    lock: an edit sent at the same moment from another tab, or by a double click, waits, then sees this one."""
    if saved_already(listing.pk, sent):
        raise SavedAlready
    approved = (
        decisions_about(listing)
        .filter(pk__gt=seen, action=Decision.Action.APPROVE, content_type=ContentType.objects.get_for_model(Revision))
        .exists()
    )
    if edited_elsewhere(listing.pk, sent_version, approved):
        raise EditedElsewhere
