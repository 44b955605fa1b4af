import json
import math
from functools import lru_cache

from django import forms, template
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils.choices import normalize_choices
from django.utils.formats import number_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django_filters.fields import ChoiceIterator

from localdir.cache import cached_data
from producers import reference

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


@lru_cache(maxsize=256)
def _options(choices):
    """(value, its <option>, the same selected) for each choice: escaped once per list of choices and language.

    format_html() for each of the ~50 options of the filter form took 1.5 ms of each directory page."""
    return [
        (
            choice,
            f'<option value="{escape(choice)}">{escape(label)}</option>',
            f'<option value="{escape(choice)}" selected>{escape(label)}</option>',
        )
        for choice, label in choices
    ]


# {(id of a filter's fixed list of choices, language): (that list, its choices as strings)}: the distances, kinds and
# days, whose labels are lazy, translated once per language. Its own filters' lists only, so a few entries; a form
# whose fields are deep copies (Django's default) brings new lists each time, hence the bound.
_fixed = {}
FIXED_ENTRIES = 64


def _choices(form_field):
    """A choice field's choices as (value, label) strings, its empty choice first.

    django-filter's fields go through a ChoiceIterator, which normalises each choice on each iteration (Django's
    normalize_choices()) and translates each lazy label: the ~50 choices of the directory's form took a third of
    its controls' time. A fixed list is read once per language; a callable's (producers.reference: categories,
    delivery modes, currencies, made of strings) is read as it comes."""
    choices = form_field.choices
    if not isinstance(choices, ChoiceIterator) or choices.field.null_label is not None:
        return tuple((str(choice), str(label)) for choice, label in choices)
    empty = () if choices.field.empty_label is None else (("", str(choices.field.empty_label)),)
    source = choices.choices
    if callable(source):
        return empty + tuple((str(choice), str(label)) for choice, label in source())
    key = (id(source), get_language())
    kept = _fixed.get(key)
    if kept is None or kept[0] is not source:
        if len(_fixed) >= FIXED_ENTRIES:
            _fixed.clear()
        kept = _fixed[key] = (source, tuple((str(choice), str(label)) for choice, label in normalize_choices(source)))
    return empty + kept[1]


def _attributes(attrs):
    """flatatt(attrs) (sorted by name), for the string values a filter control has: flatatt() formats each through
    format_html_join(), a third of filter_control()'s time."""
    if any(not isinstance(value, str) for value in attrs.values()):
        return flatatt(attrs)
    return mark_safe("".join(f' {key}="{conditional_escape(value)}"' for key, value in sorted(attrs.items())))


def _control(field, value, invalid):
    """The HTML of `field`'s control (a BoundField's field) showing `value`, marked invalid or not."""
    attrs = {"name": field.html_name, "id": field.id_for_label}
    if invalid:
        attrs.update({"aria-invalid": "true", "aria-describedby": f"{field.name}-error"})
    form_field = field.field
    if isinstance(form_field, forms.ChoiceField):
        current = "" if value is None else str(value)
        options = _options(_choices(form_field))
        selected = "".join(html if choice != current else chosen for choice, html, chosen in options)
        return mark_safe(f"<select{_attributes(attrs)}>{selected}</select>")
    if isinstance(form_field, forms.BooleanField) or isinstance(form_field.widget, forms.CheckboxInput):
        checked = form_field.widget.check_test(value) if value not in (None, "") else False
        return mark_safe(f'<input type="checkbox"{_attributes(attrs)}{" checked" if checked else ""}>')
    attrs.update({key: val for key, val in form_field.widget.attrs.items() if key not in attrs})
    attrs.setdefault("type", getattr(form_field.widget, "input_type", "text"))
    attrs["value"] = "" if value is None else str(value)
    return mark_safe(f"<input{_attributes(attrs)}>")


@register.simple_tag
def filter_control(field):
    """The <select>, checkbox or text input of a filter field, built in Python.

    Django's widget templates render one template per <option>: for the directory's filter form that was
    a quarter of a page's rendering time. Same HTML, labelled by the <label for> the template writes.
    """
    return _control(field, field.value(), bool(field.errors))


# {(form class, prefix, auto_id, language): ((name, id for its label, label as HTML), …)}: what a filter form's
# fields show that no request changes. A few entries per process (two form classes, two languages).
_fields_shown = {}


@register.simple_tag
def filter_fields(filterset):
    """The filter form's fields as includes/filters.html shows them: a dictionary per field with its `name`,
    `label`, `id_for_label`, `errors`, `value` and `control` (filter_control's), read from BoundFields here rather
    than by the template. The template engine looks an attribute up as an item first, which a BoundField refuses by
    raising an exception: the ~90 look-ups of the form's loop were most of its rendering time. Names, ids and
    translated labels are kept per form class and language."""
    return _fields(filterset.form)


def _fields(form):
    key = (type(form), form.prefix, form.auto_id, get_language())
    shown = _fields_shown.get(key)
    if shown is None:
        shown = _fields_shown[key] = tuple(
            (field.name, field.id_for_label, conditional_escape(field.label)) for field in form
        )
    errors = form.errors
    fields = []
    for name, id_for_label, label in shown:
        field = form[name]
        value = field.value()
        invalid = errors.get(name) or ()
        fields.append(
            {
                "name": name,
                "label": label,
                "id_for_label": id_for_label,
                "errors": invalid,
                "value": value,
                "control": _control(field, value, bool(invalid)),
            }
        )
    return fields


@register.simple_tag(takes_context=True)
def filters_panel(context):
    """The filter form (includes/filters.html). A page's unfiltered form (a department's, the national map's: the
    pages linked from everywhere) is the same for every visitor: rendered once per page and language and cached with
    the choices it offers; a form holding a query is rendered each time (each query would be its own entry)."""
    filterset = context["filter"]
    template = context.template.engine.get_template("producers/includes/filters.html")
    if any(name != "page" for name in filterset.data):
        return template.render(context)
    path = context["request"].path
    return mark_safe(cached_data(f"filters.{path}.{get_language()}", lambda: template.render(context)))


@register.simple_tag
def active_filter_count(filterset):
    """How many filters the shopper set (the folded panel's summary says so), counted from the submitted values."""
    data = filterset.form.data
    return sum(1 for name in filterset.filters if name not in QUALIFIERS and str(data.get(name) or "").strip())


@register.simple_tag
def map_labels():
    """The map's own words (Leaflet's controls, the clusters) in the page's language, for static/js/map.js, as an
    attribute's escaped value: the same on every directory page of a language, so made once per language.

    The cluster label comes in the language's two plural forms around a sample count, which the script swaps for
    the real one and picks with Intl.PluralRules: French says "1 activité", "0 activité", "3 activités".
    """
    return _map_labels(get_language())


@lru_cache(maxsize=16)
def _map_labels(language):
    labels = {
        "zoomIn": gettext("Zoom in"),
        "zoomOut": gettext("Zoom out"),
        "closePopup": gettext("Close"),
        "clusterOne": ngettext("%(count)s listing", "%(count)s listings", 1),
        "clusterOther": ngettext("%(count)s listing", "%(count)s listings", 3),
        "newTab": gettext("(opens in a new tab)"),
        # Markets have their own marker (a square with a stall): its name and its popup say so in words too.
        "market": gettext("Market"),
        "marketNamed": gettext("Market: %(name)s"),
    }
    return mark_safe(escape(json.dumps(labels, ensure_ascii=False)))


@register.simple_tag
def department_list():
    """The home page's list of departments with their counts, rendered once per language and kept in the cache
    until a listing is published or withdrawn (101 links and counts took half of the home page's time)."""

    def render():
        return render_to_string("producers/includes/department_list.html", {"departments": reference.departments()})

    return mark_safe(cached_data(f"department-list.{get_language()}", render))
