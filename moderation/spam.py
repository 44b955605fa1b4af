"""What the public forms answer when their spam traps (moderation.forms.SpamTrapsMixin) catch them.

Shared by every public form (moderation's four, the alerts sign-up): only the honeypot gets the refusal page; a form
the timer refuses comes back as typed.
"""

from functools import wraps

from django.shortcuts import render


class Caught(Exception):
    """The honeypot caught the form: the view decorated with @refuses_caught answers the refusal page."""


def refuses_caught(view):
    """A view whose form the honeypot caught (Caught) answers a polite refusal, having stored nothing."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Caught:
            return render(request, "moderation/blocked.html", {"reason": "spam"}, status=400)

    return wrapped


def check(form):
    """Raise Caught if something filled the honeypot, a box no person sees."""
    if form.trap() == form.HONEYPOT:
        raise Caught


def may_store(form, limits):
    """True if the form is valid, this address may store one more (moderation.limits) and the spam timer accepts the
    form. A form the timer refuses (sent too fast, or from a page open too long) comes back as typed, saying why."""
    allowed = limits.may_store(form)
    return not form.timer_refused() and allowed


def accepted(request, form, limits):
    """True for a POST whose form may be stored (may_store); Caught for the honeypot's."""
    if request.method != "POST":
        return False
    check(form)
    return may_store(form, limits)
