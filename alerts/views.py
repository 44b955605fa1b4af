"""Following an area without an account: the subscription page, the links of the emails, the one-click unsubscribe.

The links' pages change nothing on GET (mail scanners open every link of the emails they check): a button POSTs.
"""

import time

from django.conf import settings
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from localdir.cache import private_page
from localdir.methods import post_or_redirect
from moderation import spam
from moderation.forms import TIMER_SALT, min_fill_seconds
from moderation.limits import SendLimits

from . import subscriptions
from .follow import Follow
from .forms import SubscribeForm
from .models import Subscription

# The small form of the directory pages names its query in these hidden fields (as the page's URL does).
SCOPE_FIELDS = ("departement", "ville")


def _query_fields(follow):
    fields = dict(follow.params)
    if follow.commune is not None:
        fields["ville"] = follow.commune.insee_code
    elif follow.department is not None:
        fields["departement"] = follow.department.code
    return fields


def _page(request, follow, form, status=200, prefilled=False):
    context = {
        "follow": follow,
        "title": follow.title(),
        "form": form,
        "query_fields": _query_fields(follow),
        "prefilled": prefilled,
        "rss_url": follow.feed_url("rss"),
        "atom_url": follow.feed_url("atom"),
        "unconfirmed_days": subscriptions.unconfirmed_days(),
    }
    return render(request, "alerts/subscribe.html", context, status=status)


def _typed_already():
    """The spam timer's start for the page the small form opens: the visitor typed their address on the page before,
    so the timer counts as run (the honeypot, the CSRF token and the rate limits still apply)."""
    return signing.TimestampSigner(salt=TIMER_SALT).sign(str(int(time.time()) - min_fill_seconds()))


@csrf_exempt
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """GET: the page of its own. A POST from the directory pages' small form (cached pages carry no CSRF token)
    changes nothing: it shows this page with the address filled in, and the visitor's second click sends it."""
    data = request.POST if request.method == "POST" else request.GET
    follow = Follow.from_subscribe_query(data)
    if request.method == "POST" and request.POST.get("step") == "page":
        form = SubscribeForm(initial={"email": request.POST.get("email", "")[:254]})
        form.initial["started"] = _typed_already()
        return _page(request, follow, form, prefilled=True)
    return _subscribe(request, follow)


@csrf_protect
@spam.refuses_caught
def _subscribe(request, follow):
    form = SubscribeForm(request.POST or None)
    limits = SendLimits(request, "alerts.subscribe")
    if spam.accepted(request, form, limits):
        subscriptions.subscribe(form.cleaned_data["email"], follow, translation.get_language())
        limits.count_stored()
        context = {
            "follow": follow,
            "title": follow.title(),
            "email": form.cleaned_data["email"],
            "unconfirmed_days": subscriptions.unconfirmed_days(),
        }
        return render(request, "alerts/subscribe_sent.html", context)
    return _page(request, follow, form, status=limits.status)


def _link_gone(request):
    context = {"unconfirmed_days": subscriptions.unconfirmed_days()}
    return render(request, "alerts/link_gone.html", context, status=404)


@require_http_methods(["GET", "POST"])
@private_page
def confirm(request, token):
    subscription = Subscription.find(token)
    if subscription is None:
        return _link_gone(request)
    context = {"subscription": subscription, "title": subscription.follow().title(), "token": token}
    if request.method == "POST":
        subscriptions.confirm(subscription)
        return render(request, "alerts/confirmed.html", context)
    return render(request, "alerts/confirm.html", context)


@require_http_methods(["GET", "POST"])
@private_page
def unsubscribe(request, token):
    subscription = Subscription.find(token)
    if request.method == "POST":
        if subscription is not None:
            subscriptions.unsubscribe(subscription)
        # Twice, or from two emails: the same answer, the address is gone either way.
        return render(request, "alerts/unsubscribed.html")
    if subscription is None:
        return render(request, "alerts/unsubscribed.html", {"already": True})
    context = {"subscription": subscription, "title": subscription.follow().title(), "token": token}
    return render(request, "alerts/unsubscribe.html", context)


@csrf_exempt
# Mail clients without one-click unsubscribing open this address (List-Unsubscribe) in the browser: the page with
# the button then.
@post_or_redirect("alerts:unsubscribe", keep=["token"])
@private_page
def one_click(request, token):
    """RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" here, with no cookie and no CSRF token; the
    unguessable signed token is the authentication. Answers 200 whether or not the subscription still existed."""
    subscription = Subscription.find(token)
    if subscription is not None:
        subscriptions.unsubscribe(subscription)
    return HttpResponse(f"{settings.SITE_NAME}: unsubscribed.\n", content_type="text/plain; charset=utf-8")
