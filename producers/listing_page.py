"""What a listing's page shows of the listing, prepared in one pass for templates/producers/listing.html.

The template looked each value up through the listing's instance (a dictionary look-up tried first and failing
with an exception, then the attribute: ~100 look-ups a page), formatted the phone number and the coordinates with
filters (the latitude five times), the date through the `date` filter and reversed three URLs. The page's values
are computed here once (the home page's URL once per language: localdir.reversing) and handed over as a dictionary,
whose keys the template finds at the first try. Values are plain text, escaped by the template as before: the HTML
is the same.
"""

from django.template.defaultfilters import stringformat
from django.templatetags.static import static
from django.utils.formats import date_format
from django.utils.timezone import template_localtime

from localdir.reversing import reverse_fixed, reverse_with_slug

from . import seo


def _coordinate(value):
    # As {{ value|stringformat:'f' }} wrote it (six decimals; nothing for a missing one).
    return stringformat(value, "f")


def prepare(listing, photos):
    """{name: value} of what listing.html shows about `listing` (its commune and department loaded) and its
    `photos`."""
    commune = listing.commune
    department = commune.department
    url = seo.absolute_url(listing.get_absolute_url())
    phone = listing.phone
    checked = listing.confirmed_at or listing.updated_at
    return {
        "name": listing.name,
        "commune": commune.name,
        "description": listing.short_description or listing.name,
        "url": url,
        "json_ld": seo.json_ld_script(seo.listing_json_ld(listing, photos, url)),
        "home_url": reverse_fixed("producers:home"),
        "department": department.name,
        "department_url": department.get_absolute_url(),
        "commune_url": commune.get_absolute_url(),
        "kind": listing.get_kind_display(),
        "lead": listing.short_description,
        "about": listing.description,
        "street_address": listing.street_address,
        "postal_code": listing.postal_code,
        "phone": getattr(phone, "as_national", ""),
        "phone_e164": getattr(phone, "as_e164", ""),
        "latitude": _coordinate(listing.latitude),
        "longitude": _coordinate(listing.longitude),
        # Which of the footer's two sentences, and its date as {{ date|date:"DATE_FORMAT" }} wrote it.
        "confirmed": bool(listing.confirmed_at),
        "checked_on": date_format(template_localtime(checked), "DATE_FORMAT") if checked else "",
        "email": listing.email if listing.email_public else "",
        "website": listing.website,
        "facebook_url": listing.facebook_url,
        "instagram_url": listing.instagram_url,
        "other_links": listing.other_link_list,
        "report_url": reverse_with_slug("moderation:report", listing.slug),
        "leaflet_images": static("leaflet/images/"),
    }
