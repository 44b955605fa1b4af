"""Settings for the benchmark server: the project's own, plus a minimal view to measure the ceiling."""

from localdir.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
