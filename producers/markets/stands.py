"""A market's producers for its page: the public "attends" links (producers.models.Attendance), grouped by the
producer's first category in the taxonomy's order, each with its days in words and, when the producer is not there
every market day, the next time they are."""

from producers.attendances import describe_schedule
from producers.models import Attendance


def stands_by_category(market, moment=None):
    """[(category or None, [Attendance, …]), …]: the market's public stands in two queries whatever their number
    (Attendance.objects.stands_of), producers without a category last. Each stand gets `days` (in words) and
    `next_time` ((opens_at, closes_at) or None, read within the market's hours; None when every market day)."""
    groups = {}
    for stand in Attendance.objects.stands_of(market):
        stand.market = market  # the page's instance: no query per stand for the market's hours
        categories = list(stand.producer.categories.all())
        groups.setdefault(categories[0] if categories else None, []).append(stand)
        stand.days = describe_schedule(stand.schedule)
        stand.next_time = stand.next_visit(moment) if stand.schedule else None
    return sorted(
        groups.items(),
        key=lambda item: (item[0] is None, (item[0].position, item[0].name) if item[0] else (0, "")),
    )
