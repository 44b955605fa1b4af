"""What the public forms answer when their spam traps (moderation.forms.SpamTrapsMixin) catch them.

Shared by every public form (moderation's four, the alerts sign-up): only the honeypot gets the refusal page; a form
the timer refuses comes back as typed.
"""

from django.shortcuts import render


def blocked(request, form):
    """The honeypot, a box no person sees: a polite refusal, nothing stored. None if the request may go on."""
    if form.trap() == form.HONEYPOT:
        return render(request, "moderation/blocked.html", {"reason": "spam"}, status=400)
    return None


def may_store(form, limits):
    """True if the form is valid, this address may store one more (moderation.limits) and the spam timer accepts the
    form. A form the timer refuses (sent too fast, or from a page open too long) comes back as typed, saying why."""
    allowed = limits.may_store(form)
    return not form.timer_refused() and allowed
