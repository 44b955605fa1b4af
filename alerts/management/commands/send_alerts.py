"""The weekly digests of the email alerts: run it daily (docs/deployment.md); each subscription gets at most one
digest a week, and only when something is new. Running it again, or twice at once, sends nothing twice."""

from alerts import subscriptions
from localdir.daily import DailyCommand


class Command(DailyCommand):
    help = (
        "Send this week's email alerts that are due (one digest per subscription and week, only when something is new)."
    )

    def handle(self, **options):
        recorded, sent = subscriptions.send_digests()
        self.stdout.write(f"{recorded} weekly digests due, {sent} emails sent (the others had nothing new).")
