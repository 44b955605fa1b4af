"""How often one connection may send the public forms (django-ratelimit counters in Django's cache).

Two counters per form and IP address: the sends that were stored (MODERATION_SUBMIT_RATE, 5 an hour by
default), so that correcting mistakes never counts against a producer, and every POST (MODERATION_POST_RATE,
60 an hour by default) against floods. Past either, the form comes back with everything typed, a message saying
when to try again, and status 429: never a dead end.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import formats, timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage


def rate(name):
    return getattr(settings, f"MODERATION_{name}_RATE")


class SendLimits:
    """The limits of one form (`group`) for the request's address. On a GET nothing is counted."""

    def __init__(self, request, group):
        self.request, self.group = request, group
        self.status = 200
        self.posts = get_usage(
            request, group=f"{group}.posts", key="ip", rate=rate("POST"), method="POST", increment=True
        )
        self.flooded = self.posts is not None and self.posts["should_limit"]

    def _stored(self, increment=False):
        return get_usage(
            self.request, group=self.group, key="ip", rate=rate("SUBMIT"), method="POST", increment=increment
        )

    def may_store(self, form):
        """True if the form is valid and this address may store one more; else False, with the reason on the form."""
        if self.flooded:
            # A flood gets its answer without its images being decoded.
            form.files = MultiValueDict()
            usage = self.posts
        else:
            usage = self._stored()
            # Peeking does not count this send yet: the limit is reached when as many are already stored.
            if usage is not None and usage["count"] < usage["limit"]:
                usage = None
        valid = form.is_valid()
        if usage is None:
            return valid
        self.status = 429
        form.add_error(None, self.message(usage))
        return False

    def count_stored(self):
        self._stored(increment=True)

    @staticmethod
    def message(usage):
        # Rounded up to the next minute: "after 21:40" must never be too early.
        seconds = max(usage["time_left"], 0) + 60
        retry_at = timezone.localtime() + timedelta(seconds=seconds)
        retry_at = retry_at.replace(second=0, microsecond=0)
        return _(
            "Many forms were sent from your connection in a short time. Please send this one again after %(time)s: "
            "everything you entered is kept."
        ) % {"time": formats.time_format(retry_at, "TIME_FORMAT")}
