"""The daily commands (docs/deployment.md, "Daily commands") record each success, so that one that stopped shows:
`manage.py check_daily_commands` exits with 1 for monitoring, and the admin's home page warns the volunteers.

Nothing else notices: without `refresh_opening_slots` the "open now" filter slowly empties, without `send_alerts`
nobody gets their alerts, without `purge_personal_data` the site keeps what its privacy notice says it deletes.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

# The commands that record their successes; clear_expired_sessions is Django's clearsessions, recorded.
DAILY_COMMANDS = (
    "purge_personal_data",
    "confirm_listings",
    "send_moderation_digest",
    "refresh_opening_slots",
    "recount_listings",
    "send_alerts",
    "clear_expired_sessions",
)


class DailyCommand(BaseCommand):
    """A command to run every day: a run that ends without an error (and is not a dry run) is recorded."""

    def execute(self, *args, **options):
        output = super().execute(*args, **options)
        if not options.get("dry_run"):
            record(self.__module__.rsplit(".", 1)[-1])
        return output


def record(command, when=None):
    from .models import CommandRun

    CommandRun.objects.update_or_create(command=command, defaults={"succeeded_at": when or timezone.now()})


def last_successes():
    """{command: when it last succeeded, or None}, for every daily command."""
    from .models import CommandRun

    found = dict(CommandRun.objects.filter(command__in=DAILY_COMMANDS).values_list("command", "succeeded_at"))
    return {command: found.get(command) for command in DAILY_COMMANDS}


def late(now=None):
    """[(command, last success or None)] of the daily commands with no success in DAILY_COMMANDS_MAX_AGE_HOURS."""
    limit = (now or timezone.now()) - datetime.timedelta(hours=settings.DAILY_COMMANDS_MAX_AGE_HOURS)
    return [(command, last) for command, last in last_successes().items() if last is None or last < limit]
