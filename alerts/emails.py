"""The alerts' emails (templates/alerts/email/), HTML and plain text, in the subscriber's language, each with a
one-click unsubscribe (RFC 8058) but the confirmation request, which subscribes nobody."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)


def language_of(subscription):
    known = {code for code, _name in settings.LANGUAGES}
    return subscription.language if subscription.language in known else settings.LANGUAGE_CODE


def links(subscription):
    """The subscription's private links, in its language (the URL carries it)."""
    token = subscription.token
    return {
        "confirm_url": settings.SITE_URL + reverse("alerts:confirm", kwargs={"token": token}),
        "unsubscribe_url": settings.SITE_URL + reverse("alerts:unsubscribe", kwargs={"token": token}),
        "one_click_url": settings.SITE_URL + reverse("alerts:one_click", kwargs={"token": token}),
    }


def send(template, subscription, context=None, one_click=True):
    """Send one email now; False (and a logged error) if the mail server refused it."""
    with translation.override(language_of(subscription)):
        urls = links(subscription)
        context = {
            "SITE_NAME": settings.SITE_NAME,
            "SITE_URL": settings.SITE_URL,
            "subscription": subscription,
            "title": subscription.follow().title(),
            "page_url": settings.SITE_URL + subscription.follow().page_url(),
            "unconfirmed_days": settings.ALERTS_UNCONFIRMED_DAYS,
            **urls,
            **(context or {}),
        }
        subject = " ".join(render_to_string(f"alerts/email/{template}_subject.txt", context).split())
        body = render_to_string(f"alerts/email/{template}.txt", context)
        html = render_to_string(f"alerts/email/{template}.html", context)
    headers = {}
    if one_click:
        # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to this address, without any page.
        headers = {
            "List-Unsubscribe": f"<{urls['one_click_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    try:
        message = EmailMultiAlternatives(subject, body, None, [subscription.email], headers=headers)
        message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        logger.exception("Alert email %r to subscription %s not sent", template, subscription.pk)
        return False
    return True
