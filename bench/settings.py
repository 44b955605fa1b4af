"""Settings for the benchmark server: the project's own, plus a minimal view to measure the ceiling."""

from localdir.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# wrk sends every request from one address: the API's rate limit is still counted (its cost is measured) but never
# reached.
API_RATE_LIMIT = "1000000/m"
