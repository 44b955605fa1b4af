"""Articles' Markdown turned into HTML that is safe to show as is.

Markdown lets raw HTML through, so everything it produces goes through nh3 with an allow-list: no
script, no event handler, no style, links only to http(s), mailto and tel, and images only from the
site itself (its media or static files, or a relative path), never from another server.
"""

from urllib.parse import urlsplit

import markdown
import nh3
from django.conf import settings
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}
# Dropped with everything inside them, not just unwrapped.
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript", "textarea"}
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


class _NoSecondTitle(Treeprocessor):
    """ "# Heading" becomes <h2>, like "## Heading": the article's title is the page's only <h1>.

    Levels are otherwise kept as written, so "##" (what editors type for a section) is the article's second level,
    and "###" under it the third: headings never skip a level after the title.
    """

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _SectionHeadings(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_NoSecondTitle(md), "no_second_title", 1)


MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists", "def_list", "abbr", _SectionHeadings()]


def _absolute_prefix(url):
    return url if url.startswith("/") or "://" in url else "/" + url


def image_source_allowed(src):
    """Whether an <img src> points at this site: its media or static files, or a relative path."""
    src = src.strip()
    if not src or "\\" in src or any(ord(c) < 32 for c in src):
        return False
    parts = urlsplit(src)
    own = [_absolute_prefix(settings.MEDIA_URL), _absolute_prefix(settings.STATIC_URL)]
    if parts.scheme or parts.netloc:
        site = settings.SITE_URL
        return any(src.startswith(site + prefix if prefix.startswith("/") else prefix) for prefix in own)
    if src.startswith("/"):
        return any(src.startswith(prefix) for prefix in own)
    return True


def _filter_attribute(tag, attribute, value):
    if tag == "img" and attribute == "src" and not image_source_allowed(value):
        return None
    return value


def clean_html(html):
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text):
    """Markdown to sanitised HTML."""
    html = markdown.markdown(text or "", extensions=MARKDOWN_EXTENSIONS)
    return clean_html(html)
