"""Emails to producers and shoppers: templates/moderation/email/, in the language the producer used on the form.

They leave once the transaction that caused them has committed: a submission or a decision rolled back sends
nothing, and a mail server that fails does not undo what was stored (the failure is logged; the producer can ask
for their link again).
"""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from .models import EditToken, edit_url

logger = logging.getLogger(__name__)


class NotSent(Exception):
    pass


def producer_language(language):
    """The language of the producer's emails and of the links in them: theirs if the site speaks it."""
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else settings.LANGUAGE_CODE


def send(template, to, context, language=None):
    """Send one email now; False (and a logged error) if the mail server refused it."""
    if not to:
        return False
    reply_to = [settings.MODERATION_REPLY_TO] if settings.MODERATION_REPLY_TO else []
    with translation.override(producer_language(language)):
        context = {
            "SITE_NAME": settings.SITE_NAME,
            "SITE_URL": settings.SITE_URL,
            "reply_to": bool(reply_to),
            **context,
        }
        # One line whatever the listing's name holds: a header with a line break is refused.
        subject = " ".join(render_to_string(f"moderation/email/{template}_subject.txt", context).split())
        body = render_to_string(f"moderation/email/{template}.txt", context)
        try:
            # The emails whose links are the point (the yearly confirmation) also come as HTML, with buttons.
            html = render_to_string(f"moderation/email/{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    try:
        message = EmailMultiAlternatives(subject, body, None, [to], reply_to=reply_to)
        if html:
            message.attach_alternative(html, "text/html")
        message.send()
    except Exception:
        logger.exception("Email %r to %s not sent", template, to)
        return False
    return True


def send_on_commit(template, listing, context=None):
    """Email the listing's producer, in their language, once the current transaction commits."""
    context = {"listing": listing, **(context or {})}
    transaction.on_commit(partial(send, template, listing.email, context, listing.language))


def send_with_link(template, listing, context=None):
    """Email the producer, once the current transaction commits, with a new private link to their listing. Their
    other links keep working. The link is stored with the transaction: rolled back, it never existed."""
    signed = EditToken.issue(listing)

    def deliver():
        # The link opens the page in the producer's language (commands run in the site's).
        with translation.override(producer_language(listing.language)):
            url = edit_url(signed)
        if not send(
            template, listing.email, {"listing": listing, "edit_url": url, **(context or {})}, listing.language
        ):
            # Nobody will ever hold this link.
            EditToken.discard(signed)

    transaction.on_commit(deliver)


def send_new_link(listing):
    """The producer's own request for a new link: every other link stops working. Sent before the change commits,
    unlike the others: if the email cannot go, the revocation is rolled back and the producer keeps the link they
    are using. True if sent."""
    try:
        with transaction.atomic():
            signed = EditToken.renew(listing)
            with translation.override(producer_language(listing.language)):
                context = {"listing": listing, "edit_url": edit_url(signed)}
            if not send("new_link", listing.email, context, listing.language):
                raise NotSent
    except NotSent:
        return False
    return True
