from django import template
from django.conf import settings

from localdir import daily

register = template.Library()


@register.simple_tag
def late_daily_commands():
    """The daily commands that are late (localdir.daily) and the age that makes them late, for the admin."""
    return {"commands": daily.late(), "hours": settings.DAILY_COMMANDS_MAX_AGE_HOURS}
