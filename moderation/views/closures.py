"""The producer's temporary closures, behind the private link."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from localdir.methods import post_or_redirect
from producers.forms.closures import ClosureForm
from producers.models import Closure, Listing
from producers.models.closures import MAX_DAYS as CLOSURE_MAX_DAYS

from .links import _closed, _still_open, private_link


def _closures_page(request, listing, token, form):
    context = {
        "listing": listing,
        "token": token,
        "form": form,
        "closures": listing.closures.not_over(),
        "max_days": CLOSURE_MAX_DAYS,
    }
    return render(request, "moderation/closures.html", context)


@require_http_methods(["GET", "POST"])
@private_link
def closures(request, listing, token):
    """The producer's temporary closures: stored at once, without review, since they change no text a volunteer
    checked; their short note is plain text and carries no web address (producers.models.closures)."""
    if listing.status in (Listing.Status.REJECTED, Listing.Status.UNPUBLISHED):
        raise _closed(listing)
    form = ClosureForm(request.POST or None, instance=Closure(listing=listing), listing=listing)
    if request.method == "POST":
        if not form.is_valid():
            return _closures_page(request, listing, token, form)
        with transaction.atomic():
            locked = Listing.objects.select_for_update().only("status", "email").get(pk=listing.pk)
            _still_open(locked, token)
            form.save()
        messages.success(request, _("The closure is saved: your listing shows it at once."))
        return redirect("moderation:closures", token=token)
    return _closures_page(request, listing, token, form)


@private_link
@post_or_redirect(
    "moderation:closures",
    keep=["token"],
    message=gettext_lazy("Nothing was removed: to remove a closure, use the “Remove” button beside it."),
)
def delete_closure(request, listing, token, pk):
    with transaction.atomic():
        locked = Listing.objects.select_for_update().only("status", "email").get(pk=listing.pk)
        _still_open(locked, token)
        deleted, _by_model = listing.closures.filter(pk=pk).delete()
    if deleted:
        messages.success(request, _("The closure is removed."))
    return redirect("moderation:closures", token=token)
