"""The private edit link: opening the listing it names or saying why it is dead, a lost link, a new link."""

from functools import wraps

from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from localdir.cache import private_page
from localdir.methods import post_or_redirect
from producers.models import Listing

from .. import emails, spam
from ..forms import LostLinkForm
from ..limits import SendLimits
from ..models import EditToken, volunteer_message


@require_http_methods(["GET", "POST"])
@spam.refuses_caught
def lost_link(request):
    form = LostLinkForm(request.POST or None)
    limits = SendLimits(request, "moderation.lost_link")
    if spam.accepted(request, form, limits):
        # The same answer whatever is typed: the page never tells whether an address is known.
        listings = Listing.objects.filter(
            email__iexact=form.cleaned_data["email"],
            # A hidden listing's producer needs the link to confirm it and bring it back.
            status__in=[Listing.Status.PENDING, Listing.Status.PUBLISHED, Listing.Status.UNCONFIRMED],
        )
        for listing in listings:
            emails.send_with_link("lost_link", listing)
        limits.count_stored()
        return render(request, "moderation/lost_link_sent.html")
    return render(request, "moderation/lost_link.html", {"form": form}, status=limits.status)


class DeadLink(Exception):
    """A private link that opens nothing; `reason` picks the explanation on the page."""

    def __init__(self, reason, status=410, message=None):
        self.reason, self.status, self.message = reason, status, message


def _dead_link(request, dead):
    context = {"reason": dead.reason, "message": dead.message, "form": LostLinkForm()}
    return render(request, "moderation/dead_link.html", context, status=dead.status)


def _erased(listing):
    # Erasing blanks the address; volunteers taking a listing down leave it.
    return listing.status == Listing.Status.UNPUBLISHED and not listing.email


def _revoked(listing):
    return DeadLink("erased" if _erased(listing) else "replaced")


def _still_open(listing, token):
    """Checked again under the listing's row lock: the link may have been revoked, or the listing erased, while the
    request was checking its form (photo decoding can take seconds). Raises DeadLink if so. Erasing revokes every
    link in the same transaction, so a link still active means the listing was not erased."""
    if EditToken.find(token) is None:
        raise _revoked(listing)


def private_link(view):
    """Open the listing a private link names, or answer a page saying why the link no longer works: 404 for a
    forged or unknown link, 410 for one the producer replaced or erased, or a listing volunteers took down.
    No cache keeps any of these pages: their address is the key to the listing.

    Outside a button's post_or_redirect: a dead link's button address opened as a page says the link is dead, not
    "use the button on this page" above a page without it."""

    @wraps(view)
    @private_page
    def wrapped(request, token, *args, **kwargs):
        edit_token = EditToken.lookup(token)
        try:
            if edit_token is None:
                raise DeadLink("unknown", status=404)
            if edit_token.revoked_at is not None:
                raise _revoked(edit_token.listing)
            listing = Listing.objects.select_related("commune").get(pk=edit_token.listing_id)
            # By name: a view's own decorators (post_or_redirect) find the token among the URL's arguments.
            return view(request, listing, *args, token=token, **kwargs)
        except DeadLink as dead:
            return _dead_link(request, dead)

    return wrapped


def _closed(listing):
    """A listing volunteers refused or took down: its link shows why instead of the form."""
    if listing.status == Listing.Status.REJECTED:
        return DeadLink("rejected", message=volunteer_message(listing))
    return DeadLink("withdrawn")


@private_link
@post_or_redirect(
    "moderation:edit",
    keep=["token"],
    message=gettext_lazy("No new link was sent: to get one, use the button under “A new private link” on this page."),
)
def renew_link(request, listing, token):
    """The producer's "send me a new link": every other link stops working. Sent before the change is committed:
    if the email cannot go, the producer keeps the link they are using."""
    if not emails.send_new_link(listing):
        return render(request, "moderation/new_link_sent.html", {"listing": listing, "token": token, "sent": False})
    return render(request, "moderation/new_link_sent.html", {"listing": listing, "sent": True})
