"""Temporary closures as the producer (through their private link) and the volunteers (Listing admin) enter them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from localdir.forms import CleanTextMixin, ErrorSummaryMixin
from producers.models import Closure
from producers.models.closures import paris_today

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"]
# Enough for every holiday of a year; more is a sign the hours themselves should change.
MAX_PER_LISTING = 12


class DateInput(forms.DateInput):
    # The browser's date picker where there is one; elsewhere a text box that takes 15/08/2026 too.
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ClosureForm(ErrorSummaryMixin, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["starts_on", "ends_on", "note"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        labels = {"starts_on": _("First day closed"), "ends_on": _("Last day closed")}
        error_messages = {
            "starts_on": {"required": _("Enter the first day of the closure."), "invalid": _("Enter a date.")},
            "ends_on": {"required": _("Enter the last day of the closure."), "invalid": _("Enter a date.")},
        }

    def __init__(self, *args, listing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.listing = listing
        for name in ("starts_on", "ends_on"):
            self.fields[name].input_formats = DATE_FORMATS
        self.fields["ends_on"].help_text = _("The same day for a single day.")

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        # Only a new or moved end is checked: a closure under way may be kept while other fields change.
        if ends_on < paris_today() and (self.instance.pk is None or "ends_on" in self.changed_data):
            raise forms.ValidationError(_("This closure would be over already: check the dates."), code="past")
        return ends_on

    def clean(self):
        cleaned = super().clean()
        listing = self.listing or (self.instance.listing if self.instance.listing_id else None)
        if listing is not None and self.instance.pk is None:
            if listing.closures.not_over().count() >= MAX_PER_LISTING:
                raise forms.ValidationError(
                    _("A listing has %(max)s closures to come at most: remove one first.") % {"max": MAX_PER_LISTING},
                    code="too_many",
                )
        return cleaned
