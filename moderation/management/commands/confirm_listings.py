"""The yearly confirmation of published listings: run it daily from cron (docs/moderation.md)."""

from django.core.management.base import BaseCommand

from moderation import freshness


class Command(BaseCommand):
    help = (
        "Ask producers whose listing was not confirmed for LISTING_CONFIRM_AFTER_DAYS whether it is still correct, "
        "remind them LISTING_CONFIRM_REMINDER_DAYS later, and hide the listings left unconfirmed after "
        "LISTING_HIDE_AFTER_DAYS. Safe to run more than once a day: nothing is sent twice."
    )

    def handle(self, **options):
        result = freshness.run()
        self.stdout.write(
            f"{result.asked} producers asked, {result.reminded} reminded, {result.hidden} listings hidden until "
            "confirmed."
        )
        if result.not_sent:
            self.stdout.write(f"{result.not_sent} emails not sent (mail server): tried again at the next run.")
