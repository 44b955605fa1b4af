"""Addresses that only a form's button should reach, opened as a page."""

from functools import wraps

from django.contrib import messages
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse


def post_or_redirect(to, keep=(), message=None):
    """Like Django's require_POST, for the address of a button that changes something: opened as a page (a bookmark,
    an address copied from the bar, a mail client following a link) it changes nothing and sends the visitor, with a
    303, to the page that has the button, where `message` says so, instead of Django's blank 405 page.

    `to` is a URL name, reversed with the view's keyword arguments named in `keep`. Methods other than GET, HEAD
    and POST still get the 405."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["POST"])
            if message is not None and request.method == "GET":
                messages.info(request, message)
            response = HttpResponseRedirect(reverse(to, kwargs={name: kwargs[name] for name in keep}))
            response.status_code = 303
            return response

        return wrapped

    return decorator
