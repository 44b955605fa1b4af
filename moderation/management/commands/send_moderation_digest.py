"""Email the volunteers who asked for it what is new to review in their departments: run it daily from cron."""

from django.core.management.base import CommandError

from localdir.daily import DailyCommand
from moderation import teams


class Command(DailyCommand):
    help = "Send the daily digest of new submissions to the volunteers who opted in (at most one a day each)."

    def handle(self, **options):
        sent, failed = teams.send_digests()
        self.stdout.write(f"{sent} digest(s) sent.")
        if failed:
            message = f"{failed} digest(s) refused: sent again at the next run."
            if not sent:
                # Every email refused: the mail server, not one dead mailbox. Not a success, so that
                # check_daily_commands goes on saying so (docs/deployment.md, "Daily commands").
                raise CommandError(message)
            self.stderr.write(message)
