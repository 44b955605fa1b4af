"""Django's `clearsessions`, recorded as a daily command (localdir.daily): `manage.py clear_expired_sessions`, daily.

Expired sessions are volunteers' personal data (who logged in, their messages): a cron that stopped would keep
them forever, and nothing else would show it.
"""

from django.contrib.sessions.management.commands import clearsessions

from localdir.daily import DailyCommand


class Command(DailyCommand, clearsessions.Command):
    help = "Delete the expired sessions (Django's clearsessions), recording the success."
