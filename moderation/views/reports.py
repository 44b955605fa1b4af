"""Shoppers' reports of an error on a listing."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from producers.models import Listing

from .. import spam
from ..forms import ErrorReportForm
from ..limits import SendLimits


@require_http_methods(["GET", "POST"])
@spam.refuses_caught
def report(request, slug):
    listing = get_object_or_404(Listing.objects.published(), slug=slug)
    form = ErrorReportForm(request.POST or None)
    limits = SendLimits(request, "moderation.report")
    if spam.accepted(request, form, limits):
        error_report = form.save(commit=False)
        error_report.listing = listing
        error_report.save()
        limits.count_stored()
        return render(request, "moderation/report_sent.html", {"listing": listing})
    return render(request, "moderation/report.html", {"form": form, "listing": listing}, status=limits.status)
