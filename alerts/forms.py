from django import forms
from django.utils.translation import gettext_lazy as _

from localdir.forms import CleanTextMixin, ErrorSummaryMixin
from moderation.forms import SpamTrapsMixin


class SubscribeForm(ErrorSummaryMixin, CleanTextMixin, SpamTrapsMixin, forms.Form):
    email = forms.EmailField(
        max_length=254,  # the column's (Django's form default is 320: a longer address was a 500 on PostgreSQL)
        label=_("Your email address"),
        help_text=_("We send a link to confirm it. One email a week at most, only when something is new."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.org."),
        },
    )
