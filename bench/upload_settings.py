"""bench.settings for the uploads benchmark: every sign-up it sends must reach the photo processing.

The sign-up rate limit (5 an hour per address) and the minimum filling time would otherwise turn the load into
a few refusals: the benchmark measures what a worker does with photos, not the spam defences.
"""

from bench.settings import *  # noqa: F403

RATELIMIT_ENABLE = False
MODERATION_MIN_FILL_SECONDS = 0
# The sign-up emails would fill the benchmark's output.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
