"""The weekly digests of the email alerts: run it daily (docs/deployment.md); each subscription gets at most one
digest a week, and only when something is new. Running it again, or twice at once, sends nothing twice."""

from django.core.management.base import CommandError

from alerts import subscriptions
from localdir.daily import DailyCommand


class Command(DailyCommand):
    help = (
        "Send this week's email alerts that are due (one digest per subscription and week, only when something is new)."
    )

    def handle(self, **options):
        result = subscriptions.send_digests()
        self.stdout.write(
            f"{result.recorded} weekly digests due, {result.sent} emails sent (the others had nothing new)."
        )
        if result.failed:
            message = f"{result.failed} emails refused: their digests are sent again at the next run."
            if not result.sent:
                # Every email refused: the mail server, not one dead mailbox. Not a success, so that
                # check_daily_commands goes on saying so (docs/deployment.md, "Daily commands").
                raise CommandError(message)
            self.stderr.write(message)
