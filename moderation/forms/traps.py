"""The spam traps of the public forms: a honeypot and a signed start time."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

TIMER_SALT = "moderation.form-timer"


def min_fill_seconds():
    return settings.MODERATION_MIN_FILL_SECONDS


class SpamTrapsMixin(forms.Form):
    """A honeypot a person never sees, and a signed start time: a form sent within seconds is a robot's."""

    # What caught a form (trap()). Only the honeypot is certain: a person's browser may fill a form in at once, and
    # a person may keep a page open for a day; those forms go back to them with a message (TIMER_MESSAGES).
    HONEYPOT, TOO_FAST, EXPIRED = "honeypot", "too_fast", "expired"
    TIMER_MESSAGES = {
        TOO_FAST: _(
            "We could not save this form: it was sent too quickly after the page opened. Check it and send it again."
        ),
        EXPIRED: _("We could not save this form: the page had been open for too long. Check it and send it again."),
    }

    # Named like a field a bot wants to fill; hidden from people (CSS, aria-hidden, no tab stop).
    fax_number = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["started"] = signing.TimestampSigner(salt=TIMER_SALT).sign(str(int(time.time())))

    def trap(self):
        """What caught the form: HONEYPOT, TOO_FAST, EXPIRED (also a missing or altered timer), or None."""
        if self.data.get(self.add_prefix("fax_number")):
            return self.HONEYPOT
        try:
            started = int(
                signing.TimestampSigner(salt=TIMER_SALT).unsign(self.data.get(self.add_prefix("started"), ""), 86400)
            )
        except (signing.BadSignature, ValueError):
            return self.EXPIRED
        return self.TOO_FAST if time.time() - started < min_fill_seconds() else None

    def is_spam(self):
        """True if a trap caught the form. Call after is_valid()."""
        return self.trap() is not None

    def timer_refused(self):
        """True if the timer refused the form: then the form says why at the top of its error summary and carries a
        new timer, so that it can be sent again once checked. Call after is_valid()."""
        trap = self.trap()
        if trap not in self.TIMER_MESSAGES:
            return False
        self.add_error(None, self.TIMER_MESSAGES[trap])
        # First in the summary: it is why nothing was saved, before any mistake in the form.
        reasons = self.errors[NON_FIELD_ERRORS]
        reasons.insert(0, reasons.pop())
        self.data = self.data.copy()
        self.data[self.add_prefix("started")] = self.initial["started"]
        return True
