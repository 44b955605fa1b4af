"""Whether the daily commands still run: `manage.py check_daily_commands`, for monitoring.

Prints each daily command's last success; exits with 1 when one has not succeeded for DAILY_COMMANDS_MAX_AGE_HOURS
(or never did), so that a monitoring system (a Nagios-style check, a systemd `OnFailure=`, a cron mailing its
output) raises the alarm.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from localdir import daily


class Command(BaseCommand):
    help = "Say when each daily command last succeeded; exit with 1 when one is late."

    def handle(self, *args, **options):
        late = dict(daily.late())
        for command, last in daily.last_successes().items():
            when = last.isoformat(timespec="seconds") if last else "never"
            self.stdout.write(f"{command}\t{when}\t{'LATE' if command in late else 'ok'}")
        if late:
            self.stderr.write(
                f"{len(late)} daily command(s) without a success in {settings.DAILY_COMMANDS_MAX_AGE_HOURS} hours: "
                + ", ".join(late)
            )
            raise SystemExit(1)
