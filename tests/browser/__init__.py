"""Browser tests (Playwright + Debian's Chromium): see conftest.py."""

# How long a browser test waits for what it expects (a page, an element, a state) before failing. Playwright's own
# default; 10 s was met by the first page of a test (templates compiled, Leaflet served by the live server) on two
# cores under a load of 16. A test that passes does not wait longer for it.
TIMEOUT_MS = 30_000
