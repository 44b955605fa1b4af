import math

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def distance_km(distance_sq):
    """Format a squared distance in km² (as annotated by ListingQuerySet.within) as "3,2"."""
    if distance_sq is None:
        return ""
    return number_format(math.sqrt(max(distance_sq, 0)), decimal_pos=1)


@register.filter
def open_state(status):
    """CSS modifier for an hours status: open, closed or unknown."""
    if status is None or status.is_open is None:
        return "unknown"
    return "open" if status.is_open else "closed"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (None removes one), without the page number."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()
