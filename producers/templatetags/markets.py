"""Template filters of the markets' pages (producers.markets)."""

from django import template

from producers import hours

register = template.Library()


@register.filter
def time_range(occurrence):
    """'8 h – 13 h' (the page's language) for a producers.markets.Occurrence."""
    return hours.format_range(occurrence.opens, occurrence.closes)
