"""Shoppers' reports of a wrong listing."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from producers.models import Listing

from . import decisions
from .decisions import AlreadyDecided, Decision, _record


class ErrorReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ErrorReport.Status.OPEN)


class ErrorReport(models.Model):
    """A shopper telling us a listing is wrong."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("The activity has closed")
        WRONG_INFO = "wrong_info", _("Some information is wrong")
        DUPLICATE = "duplicate", _("It is listed twice")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FIXED = "fixed", _("Fixed")
        DISMISSED = "dismissed", _("Dismissed")

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="error_reports", verbose_name=_("listing")
    )
    kind = models.CharField(_("what is wrong"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("details"), max_length=2000)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")

    def __str__(self):
        return _("Report on %(listing)s") % {"listing": self.listing}

    def decide(self, action, by, reason=""):
        statuses = {Decision.Action.FIX: self.Status.FIXED, Decision.Action.DISMISS: self.Status.DISMISSED}
        with transaction.atomic():
            report = ErrorReport.objects.select_for_update().get(pk=self.pk)
            decisions._after_lock(report)
            if report.status != self.Status.OPEN:
                raise AlreadyDecided
            report.status = statuses[action]
            # The privacy notice promises it: the shopper's address is kept only while the report is open.
            report.email = ""
            report.save(update_fields=["status", "email"])
            _record(by, report, action, reason)
        self.refresh_from_db()
        return self
