"""Parts of a page written in for each request, after the page cache: the page is rendered and cached once, these
parts differ between the visitors of that one copy (the language switch's links carry the page's whole query, a
listing's way back names the list it was opened from).

A template marks where such a part goes: `{% slot "name" "arg" %}` for a value, `{% slot_section "name" %}…
{% endslot_section %}` around what is shown only when the slot has one (localdir/templatetags/site.py). The module
that owns the slot says how to fill it, `register("name", fill)`, from its app's ready() so that the filling is known
before any page is served from the cache: fill(request, arg) returns the value for this request (text, escaped
where written in) or None (nothing written, that slot's sections dropped). SlotsMiddleware fills every HTML page on
its way out, whether it was rendered or came from the cache.

A slot is written as a marker between NULs that starts with TOKEN, a secret: a page echoes what its visitor typed
(a form refused shows the value again as it came, NULs included), so a marker a visitor could write would be filled
as ours (the town box's value made a link, a section cut out of the page). TOKEN is derived from SECRET_KEY, the same
in every process, since a page cached by one worker is filled by any other. A marker no one registered is written
as nothing (the token never reaches a browser), and a NUL left in the page once its slots are filled (a visitor's)
is sent as U+FFFD, what an HTML parser reads it as.

PAGE_KEY names the marker's form in the page cache's keys (localdir.cache) and in those of the parts cached with
slots in them (the language switch): a page cached by a former version, or under another SECRET_KEY, is not served.
Change FORMAT when the marker's form changes.
"""

import re

from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.safestring import mark_safe

# {name: fill(request, arg) -> str or None}
_fillers = {}
VALUE, START, END = "=", "[", "]"
FORMAT = 2


def _keys(secret):
    """TOKEN, PAGE_KEY and the markers' pattern under `secret`."""
    token = salted_hmac("localdir.slots", "marker", secret=secret).hexdigest()[:16]
    page_key = f"s{FORMAT}." + salted_hmac("localdir.slots", "page cache", secret=secret).hexdigest()[:8]
    return token, page_key, re.compile(rb"\x00" + token.encode() + rb"([=\[\]])([a-z_]+)\|([^\x00]*)\x00")


TOKEN, PAGE_KEY, _MARKER = _keys(settings.SECRET_KEY)


def register(name, fill):
    _fillers[name] = fill


def marker(kind, name, arg=""):
    return mark_safe(f"\x00{TOKEN}{kind}{name}|{arg}\x00")


def _next_marker(content, position):
    """The first marker from `position` on, or None. NULs are found by bytes.find: a regex searched through a page
    for its first byte took 200 times as long."""
    while (position := content.find(b"\x00", position)) != -1:
        if match := _MARKER.match(content, position):
            return match
        position += 1
    return None


def fill(request, content):
    """`content` (bytes) with its slots filled for `request`; a marker no one registered is written as nothing (its
    section's content kept)."""
    values = {}
    parts = []
    done = 0  # what is copied to parts
    match = _next_marker(content, 0)
    while match:
        kind, name, arg = match[1].decode(), match[2].decode(), match[3].decode()
        after = match.end()
        parts.append(content[done : match.start()])
        done = after
        if name in _fillers:
            if (name, arg) not in values:
                values[name, arg] = _fillers[name](request, arg)
            value = values[name, arg]
            if kind == VALUE and value is not None:
                parts.append(escape(value).encode())
            elif kind == START and value is None:
                end = content.find(marker(END, name, arg).encode(), after)
                if end != -1:
                    done = after = end
        match = _next_marker(content, after)
    parts.append(content[done:])
    return b"".join(parts)


class SlotsMiddleware:
    """Fills the slots of HTML pages, below the ETag and compression (they see the page as sent) and above the
    views and their page cache (which keeps the slots empty)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and b"\x00" in response.content
        ):
            response.content = fill(request, response.content).replace(b"\x00", "\ufffd".encode())
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
