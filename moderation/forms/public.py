"""The shoppers' and producers' small public forms: a lost link, a report of an error on a listing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from localdir.forms import CleanTextMixin, ErrorSummaryMixin

from ..models import ErrorReport
from .traps import SpamTrapsMixin


class LostLinkForm(ErrorSummaryMixin, CleanTextMixin, SpamTrapsMixin, forms.Form):
    email = forms.EmailField(
        label=_("The email address of your listing"),
        error_messages={
            "required": _("Give your email address: we send your private link there."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )


class ErrorReportForm(ErrorSummaryMixin, CleanTextMixin, SpamTrapsMixin, forms.ModelForm):
    class Meta:
        model = ErrorReport
        fields = ["kind", "message", "email"]
        widgets = {"kind": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"email": _("Optional: only if you agree to be asked for details.")}
        error_messages = {
            "kind": {"required": _("Choose what is wrong.")},
            "message": {"required": _("Say what is wrong in a few words.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio buttons: no "---------" button, and none ticked before the shopper chooses.
        self.fields["kind"].choices = ErrorReport.Kind.choices
