import json
import math

from django import forms, template
from django.forms.utils import flatatt
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

# Parameters that refine another filter rather than filter on their own: "within 10 km" belongs to the town.
QUALIFIERS = {"distance"}

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


@register.simple_tag
def filter_control(field):
    """The <select>, checkbox or text input of a filter field, built in Python.

    Django's widget templates render one template per <option>: for the directory's filter form that was
    a quarter of a page's rendering time. Same HTML, labelled by the <label for> the template writes.
    """
    value = field.value()
    attrs = {"name": field.html_name, "id": field.id_for_label}
    if field.errors:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"{field.name}-error"})
    form_field = field.field
    if isinstance(form_field, forms.ChoiceField):
        current = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(choice), mark_safe(" selected") if str(choice) == current else "", label)
                for choice, label in form_field.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)
    if isinstance(form_field, forms.BooleanField) or isinstance(form_field.widget, forms.CheckboxInput):
        checked = form_field.widget.check_test(value) if value not in (None, "") else False
        return format_html('<input type="checkbox"{}{}>', flatatt(attrs), mark_safe(" checked") if checked else "")
    attrs.update({key: val for key, val in form_field.widget.attrs.items() if key not in attrs})
    attrs.setdefault("type", getattr(form_field.widget, "input_type", "text"))
    attrs["value"] = "" if value is None else str(value)
    return format_html("<input{}>", flatatt(attrs))


@register.simple_tag
def active_filter_count(filterset):
    """How many filters the shopper set (the folded panel's summary says so), counted from the submitted values."""
    data = filterset.form.data
    return sum(1 for name in filterset.filters if name not in QUALIFIERS and str(data.get(name) or "").strip())


@register.simple_tag
def map_labels():
    """The map's own words (Leaflet's controls, the clusters) in the page's language, for static/js/map.js.

    The cluster label comes in the language's two plural forms around a sample count, which the script swaps for
    the real one and picks with Intl.PluralRules: French says "1 activité", "0 activité", "3 activités".
    """
    labels = {
        "zoomIn": gettext("Zoom in"),
        "zoomOut": gettext("Zoom out"),
        "closePopup": gettext("Close"),
        "clusterOne": ngettext("%(count)s listing", "%(count)s listings", 1),
        "clusterOther": ngettext("%(count)s listing", "%(count)s listings", 3),
    }
    return json.dumps(labels, ensure_ascii=False)
