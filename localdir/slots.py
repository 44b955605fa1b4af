"""Parts of a page written in for each request, after the page cache: the page is rendered and cached once, these
parts differ between the visitors of that one copy (the language switch's links carry the page's whole query, a
listing's way back names the list it was opened from).

A template marks where such a part goes: `{% slot "name" "arg" %}` for a value, `{% slot_section "name" %}…
{% endslot_section %}` around what is shown only when the slot has one (localdir/templatetags/site.py). The module
that owns the slot says how to fill it, `register("name", fill)`, from its app's ready() so that the filling is known
before any page is served from the cache: fill(request, arg) returns the value for this request (text, escaped
where written in) or None (nothing written, that slot's sections dropped). SlotsMiddleware fills every HTML page on
its way out, whether it was rendered or came from the cache.

A slot is written as a marker between NULs: a NUL is in no URL nor text we store (Django's form fields refuse it).
A marker whose name no one registered is left as it is.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

# {name: fill(request, arg) -> str or None}
_fillers = {}
VALUE, START, END = "=", "[", "]"
_MARKER = re.compile(rb"\x00([=\[\]])([a-z_]+)\|([^\x00]*)\x00")


def register(name, fill):
    _fillers[name] = fill


def marker(kind, name, arg=""):
    return mark_safe(f"\x00{kind}{name}|{arg}\x00")


def _next_marker(content, position):
    """The first marker from `position` on, or None. NULs are found by bytes.find: a regex searched through a page
    for its first byte took 200 times as long."""
    while (position := content.find(b"\x00", position)) != -1:
        if match := _MARKER.match(content, position):
            return match
        position += 1
    return None


def fill(request, content):
    """`content` (bytes) with its slots filled for `request`."""
    values = {}
    parts = []
    done = 0  # what is copied to parts
    match = _next_marker(content, 0)
    while match:
        kind, name, arg = match[1].decode(), match[2].decode(), match[3].decode()
        after = match.end()
        if name in _fillers:
            if (name, arg) not in values:
                values[name, arg] = _fillers[name](request, arg)
            value = values[name, arg]
            parts.append(content[done : match.start()])
            done = after
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
            response.content = fill(request, response.content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
