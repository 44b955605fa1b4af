"""Links from the directory pages to the embed builder and to oEmbed (producers/embed/)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html

from producers import towns
from producers.embed.area import PRESET_FILTERS, town_page_distance
from producers.seo import absolute_url

register = template.Library()


@register.simple_tag(takes_context=True)
def embed_builder_url(context, department=None, commune=None):
    """The builder, preset to this page's area (a department, or the town it shows) and the filters it shows."""
    query = context["request"].GET
    # A town page's town, or the town a department page was searched for (the filters' town box found it).
    place = towns.Place(commune) if commune is not None else getattr(context.get("filter"), "town", None)
    if place is not None:
        # The code along with the label, as the page's own form does: telling homonyms apart without a query.
        params = {
            "area": "commune",
            "commune": place.label,
            "commune_code": place.code,
            "distance": town_page_distance(query),
        }
    else:
        params = {"area": "department", "department": department.code}
    params.update({name: query[name] for name in PRESET_FILTERS if query.get(name)})
    return f"{reverse('producers:embed_builder')}?{urlencode(params)}"


@register.simple_tag(takes_context=True)
def oembed_discovery(context, page_url, title):
    """The <link> by which a CMS given this page's address finds its embedded map (https://oembed.com/#section4):
    the page with its filters (not its page number), so that pasting a filtered page embeds the filtered map."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    url = absolute_url(f"{page_url}?{query.urlencode()}" if query else page_url)
    href = absolute_url(reverse("oembed")) + "?" + urlencode({"url": url, "format": "json"})
    return format_html('<link rel="alternate" type="application/json+oembed" href="{}" title="{}">', href, title)
