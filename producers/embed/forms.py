"""The builder's form: an area, the partner's filters (the directory's own fields), a height and a language."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from localdir.forms import CleanTextMixin, ErrorSummaryMixin

from .. import reference, towns
from ..filters import ListingFilter
from ..models import Listing
from .area import DEFAULT_HEIGHT, MAX_HEIGHT, MIN_HEIGHT, PRESET_FILTERS, Embed


def _department_choices():
    return [("", _("Choose a department")), *((d.code, f"{d.code} {d.name}") for d in reference.departments())]


class EmbedForm(CleanTextMixin, ErrorSummaryMixin, forms.Form):
    """Read from the query string (the builder works without JavaScript: it is a GET form showing its result).

    The town, distance and preset filters are the directory's filter fields (producers.filters.ListingFilter), so
    the builder offers exactly the choices the pages and the embedded page accept.
    """

    DEPARTMENT, TOWN = "department", "commune"

    area = forms.ChoiceField(
        label=_("Area shown"),
        choices=[(DEPARTMENT, _("A department")), (TOWN, _("A town and its surroundings"))],
        initial=DEPARTMENT,
        widget=forms.RadioSelect,
    )
    department = forms.ChoiceField(label=_("Department"), choices=_department_choices, required=False)
    height = forms.IntegerField(
        label=_("Height (pixels)"),
        initial=DEFAULT_HEIGHT,
        min_value=MIN_HEIGHT,
        max_value=MAX_HEIGHT,
        widget=forms.NumberInput(attrs={"step": 50}),
    )
    language = forms.ChoiceField(label=_("Language of the map"), choices=settings.LANGUAGES, initial="fr")

    error_fields = {"commune_code": "commune"}

    def __init__(self, data=None, **kwargs):
        if data is not None and data.get("area") == self.DEPARTMENT and not data.get("department"):
            if str(data.get("commune", "")).strip():
                # Without JavaScript nothing unticks "A department", checked first: a town typed is the choice
                # made (and the form shows it ticked).
                data = data.copy()
                data["area"] = self.TOWN
        super().__init__(data, **kwargs)
        department = reference.department_by_code().get(str((data or {}).get("department", "")).upper())
        filter_fields = ListingFilter(queryset=Listing.objects.none(), department=department).form.fields
        for name in ("commune", "distance", *PRESET_FILTERS):
            self.fields[name] = filter_fields[name]
        self.fields["commune_code"] = forms.CharField(required=False, widget=forms.HiddenInput)
        self.town = None
        self.town_choices = ()

    def clean(self):
        data = super().clean()
        if data.get("area") == self.TOWN:
            query = data.get("commune", "").strip()
            if not query:
                self.add_error("commune", _("Type the name or postal code of a town."))
                return data
            resolution = towns.resolve(query, code=data.get("commune_code") or None)
            if resolution.place is not None:
                self.town = resolution.place
            elif resolution.choices:
                self.town_choices = resolution.choices
                self.add_error("commune", _("Several towns have this name: choose one below."))
            else:
                self.add_error("commune", _("We could not find this town. Check the spelling or type its postal code."))
        elif data.get("area") == self.DEPARTMENT and not data.get("department"):
            self.add_error("department", _("Choose a department."))
        return data

    def embed(self):
        """The Embed described, or None while the form is invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        filters = {name: data[name] for name in PRESET_FILTERS if data.get(name)}
        if self.town is not None:
            return Embed(
                town=self.town, distance=data.get("distance") or "", filters=filters, language=data["language"]
            )
        department = reference.department_by_code()[data["department"]]
        return Embed(department=department, filters=filters, language=data["language"])
