"""The volunteers' forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    """A volunteer's reason (rejection) or message (changes requested), sent to the producer."""

    reason = forms.CharField(
        label=_("Message to the producer"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Write a few words for the producer.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Write a few words for the producer."))
        return reason
