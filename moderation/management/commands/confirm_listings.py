"""The yearly confirmation of published listings: run it daily from cron (docs/moderation.md)."""

from localdir.daily import DailyCommand
from moderation import freshness
from producers.models import Closure


class Command(DailyCommand):
    help = (
        "Ask producers whose listing was not confirmed for LISTING_CONFIRM_AFTER_DAYS whether it is still correct, "
        "remind them LISTING_CONFIRM_REMINDER_DAYS later, and hide the listings left unconfirmed after "
        "LISTING_HIDE_AFTER_DAYS; delete the temporary closures that are over. Safe to run more than once a day: "
        "nothing is sent twice."
    )

    def handle(self, **options):
        result = freshness.run()
        self.stdout.write(
            f"{result.asked} producers asked, {result.reminded} reminded, {result.hidden} listings hidden until "
            "confirmed."
        )
        # Over closures are never shown (Closure.objects.not_over()); this only keeps the table small.
        purged, _by_model = Closure.objects.over().delete()
        self.stdout.write(f"{purged} temporary closures over deleted.")
        if result.sent_again:
            self.stdout.write(f"{result.sent_again} emails refused before sent again.")
        if result.not_sent:
            self.stdout.write(
                f"{result.not_sent} emails not sent (mail server): tried again at the next runs for a week, then "
                "shown to the volunteers."
            )
