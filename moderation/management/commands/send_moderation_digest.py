"""Email the volunteers who asked for it what is new to review in their departments: run it daily from cron."""

from localdir.daily import DailyCommand
from moderation import teams


class Command(DailyCommand):
    help = "Send the daily digest of new submissions to the volunteers who opted in (at most one a day each)."

    def handle(self, **options):
        sent = teams.send_digests()
        self.stdout.write(f"{sent} digest(s) sent.")
