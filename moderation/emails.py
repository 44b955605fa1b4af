"""Emails to producers and shoppers, always in French (the directory's audience): templates/moderation/email/."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import EditToken, edit_url

logger = logging.getLogger(__name__)


class NotSent(Exception):
    pass


def send(template, to, context):
    """Send one email; False (and a logged error) if the mail server refused it: the decision or the submission
    that triggered it stands, and the producer can ask for their link again."""
    if not to:
        return False
    with translation.override("fr"):
        context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
        # One line whatever the listing's name holds: a header with a line break is refused.
        subject = " ".join(render_to_string(f"moderation/email/{template}_subject.txt", context).split())
        body = render_to_string(f"moderation/email/{template}.txt", context)
    try:
        send_mail(subject, body, None, [to])
    except Exception:
        logger.exception("Email %r to %s not sent", template, to)
        return False
    return True


def send_with_link(template, listing, context=None, renew=False):
    """An email carrying a new private link to the listing. The producer's other links keep working, unless
    `renew` (their own request for a new link) revokes them.

    If the email cannot be sent, nothing changes: no new link, and the older links keep working.
    """
    try:
        with transaction.atomic():
            signed = EditToken.renew(listing) if renew else EditToken.issue(listing)
            context = {"listing": listing, "edit_url": edit_url(signed), **(context or {})}
            if not send(template, listing.email, context):
                raise NotSent
    except NotSent:
        return False
    return True
