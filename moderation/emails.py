"""Emails to producers and shoppers, always in French (the directory's audience): templates/moderation/email/."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import EditToken, edit_url


def send(template, to, context):
    if not to:
        return
    with translation.override("fr"):
        context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
        subject = render_to_string(f"moderation/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"moderation/email/{template}.txt", context)
    send_mail(subject, body, None, [to])


def send_with_link(template, listing, context=None):
    """An email carrying a fresh private link (older links are revoked: only the latest email opens the listing)."""
    signed = EditToken.issue(listing)
    send(template, listing.email, {"listing": listing, "edit_url": edit_url(signed), **(context or {})})
