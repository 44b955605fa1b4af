from django import template
from django.conf import settings

from producers import seo

register = template.Library()


@register.filter
def absolute(path):
    """An absolute URL on the public site (SITE_URL), for canonical links and Open Graph."""
    return seo.absolute_url(str(path))


@register.simple_tag
def open_data_licence():
    return {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL}
