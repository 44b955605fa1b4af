"""The listing form: the rules every way of entering a listing shares (CSV import, public submission…).

Fields take plain values so that a CSV row fits them as well as a web page: the commune by name or INSEE
code (checked against the postal code), categories and currencies by slug, delivery modes as lines of
"code: details", opening hours as an OpenStreetMap expression or through the per-day widget. A subclass
(the public submission form) may change widgets, drop fields through Meta.fields or add its own;
the cleaning stays here.
"""

import re
from urllib.parse import urlsplit

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from localdir.forms import CleanTextMixin
from localdir.text import validate_visible
from producers import towns
from producers.listing_data import FORM_FIELDS
from producers.models import Category, Commune, DeliveryMode, Listing, LocalCurrency

from .hours import OpeningHoursField

INSEE_CODE = re.compile(r"^([0-9]{5}|2[AB][0-9]{3})$", re.IGNORECASE)
# Metropolitan France and the overseas departments and territories that have their own country codes.
FRENCH_PHONE_REGIONS = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"}
DELIVERY_SEPARATOR = re.compile(r"[|\n]")
PHONE_FORMAT = _("Enter a French phone number of 10 digits, such as 02 41 12 34 56, or +33 2 41 12 34 56.")


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class PostalCodeField(forms.CharField):
    """Five digits, typed as they are often written: "49 000" is read as 49000."""

    # [0-9], not \d: Python's \d also takes "４９０００" and other scripts' digits, which no postal code has.
    default_validators = [RegexValidator(r"^[0-9]{5}$", _("Enter a postal code of 5 digits, such as 49000."))]

    def __init__(self, *, max_length=None, **kwargs):
        # The validator above says what to type; Django's "at most 5 characters (it has 6)" would not.
        super().__init__(**kwargs)

    def to_python(self, value):
        return re.sub(r"\s", "", super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # Room for the space of "49 000": a browser stops typing at maxlength, silently.
        attrs.update(maxlength="6", inputmode="numeric", autocomplete="postal-code")
        return attrs


class DeliveryModesField(forms.Field):
    """Delivery modes with optional details: one per line (or separated by "|"), "code" or "code: details".

    Cleans to a list of (DeliveryMode, details). Also takes a list of such strings.
    """

    widget = forms.Textarea(attrs={"rows": 3})
    default_error_messages = {
        "unknown": _("Unknown delivery mode “%(code)s”. Known modes: %(known)s."),
        "duplicate": _("The delivery mode “%(code)s” is given twice."),
        "too_long": _("The details of “%(code)s” are too long (%(max)s characters at most)."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return []
        items = value if isinstance(value, list | tuple) else DELIVERY_SEPARATOR.split(str(value))
        modes = {mode.code: mode for mode in DeliveryMode.objects.all()}
        details_max = Listing.delivery_modes.through._meta.get_field("details").max_length
        cleaned, seen = [], set()
        for item in items:
            code, _colon, details = str(item).partition(":")
            code, details = code.strip().lower(), details.strip()
            if not code:
                continue
            if code not in modes:
                params = {"code": code, "known": ", ".join(modes)}
                raise ValidationError(self.error_messages["unknown"], code="unknown", params=params)
            if code in seen:
                raise ValidationError(self.error_messages["duplicate"], code="duplicate", params={"code": code})
            if len(details) > details_max:
                params = {"code": code, "max": details_max}
                raise ValidationError(self.error_messages["too_long"], code="too_long", params=params)
            seen.add(code)
            cleaned.append((modes[code], details))
        return cleaned

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(
                item if isinstance(item, str) else (f"{item[0].code}: {item[1]}" if item[1] else item[0].code)
                for item in value
            )
        return value


class ProfileField(forms.URLField):
    """A profile on a social network, given as "@name", "name" or the profile's address; cleans to the address."""

    # Instagram: letters, digits, "." and "_", 30 at most; Facebook page names also allow "-", 50 at most. The first
    # domain is the one "@name" leads to and the one messages name; the others are the network's short addresses.
    NETWORKS = {
        "instagram": (
            ("instagram.com", "instagr.am"),
            re.compile(r"^[\w.]{1,30}$", re.ASCII),
            "https://www.instagram.com/{}/",
        ),
        "facebook": (
            ("facebook.com", "fb.com", "fb.me"),
            re.compile(r"^[\w.-]{1,50}$", re.ASCII),
            "https://www.facebook.com/{}",
        ),
    }
    widget = forms.TextInput  # "@name" is not an address: no URL keyboard, no browser check
    default_error_messages = {
        "handle": _("Give the name of your account (@name) or the address of its page."),
        "elsewhere": _(
            "This address is not on %(domain)s: give the name of your account (@name) or the address of its page."
        ),
    }

    def __init__(self, network, **kwargs):
        self.domains, self.handle, self.address = self.NETWORKS[network]
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("help_text", _("Your account's name (@name) or the address of its page."))
        super().__init__(**kwargs)

    def _on_network(self, host):
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

    def _is_name(self, value):
        """Whether `value` is an account's name rather than an address: "@" first, or no "/" and not the network's
        host ("fb.me", "m.facebook.com"). A host, not a substring: "@instagr.amelie" and "ferme.fb.meuh" are names."""
        if value.startswith("@"):
            return True
        if "/" in value:
            return False
        try:
            host = urlsplit("//" + value).hostname or ""
        except ValueError:  # "[ferme": no address either; the name's pattern refuses it
            return True
        return not self._on_network(host.lower())

    def to_python(self, value):
        value = (value or "").strip()
        if value and self._is_name(value):
            name = value.removeprefix("@")
            if not self.handle.match(name):
                raise ValidationError(self.error_messages["handle"], code="handle")
            value = self.address.format(name)
        url = super().to_python(value)
        # The listing links it as "Facebook" or "Instagram": a website typed in the wrong box, or another network's
        # page, would be shown under that name.
        host = (urlsplit(url).hostname or "").lower() if url else ""
        if url and not self._on_network(host):
            raise ValidationError(
                self.error_messages["elsewhere"], code="elsewhere", params={"domain": self.domains[0]}
            )
        return url


def describe_places(places):
    """The places a commune's name may be, each with its department and INSEE code, as an error names them."""
    described = []
    for place in places:
        values = {"name": place.name, "department": place.department, "code": place.code}
        if place.locality and not place.is_arrondissement:
            described.append(
                _("%(name)s, now part of %(commune)s, %(department)s, INSEE code %(code)s")
                % {**values, "commune": place.commune.name}
            )
        else:
            described.append(_("%(name)s, %(department)s, INSEE code %(code)s") % values)
    return "; ".join(str(text) for text in described)


class ListingForm(CleanTextMixin, forms.ModelForm):
    """Every text is cleaned of control characters (localdir.forms.CleanTextMixin) before these rules apply."""

    commune_messages = {
        "missing": _("Give the town, by its name or its INSEE code."),
        "unknown_code": _("No town has the INSEE code %(code)s."),
        "ambiguous": _("Several towns are called “%(name)s”: %(places)s. Give the postal code or the INSEE code."),
        "look_alikes": _(
            "No town is called “%(name)s” exactly. Did you mean %(places)s? Write its name as it is listed, or give "
            "its INSEE code."
        ),
    }
    commune = forms.CharField(
        label=_("Town"), max_length=100, required=False, help_text=_("Its name, or its INSEE code.")
    )
    insee_code = forms.CharField(label=_("INSEE code of the town"), max_length=5, required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"), queryset=Category.objects.all(), to_field_name="slug"
    )
    currencies = forms.ModelMultipleChoiceField(
        label=_("Local currencies accepted"), queryset=LocalCurrency.objects.all(), to_field_name="slug", required=False
    )
    delivery_modes = DeliveryModesField(
        label=_("How to buy"),
        required=False,
        help_text=_("One per line: the mode's code, then optionally a colon and details."),
    )
    opening_hours = OpeningHoursField(label=_("Opening hours"), required=False)
    facebook_url = ProfileField("facebook", label=capfirst(_("Facebook page")), max_length=200, required=False)
    instagram_url = ProfileField("instagram", label=capfirst(_("Instagram account")), max_length=200, required=False)

    class Meta:
        model = Listing
        fields = FORM_FIELDS
        formfield_callback = _formfield
        field_classes = {"postal_code": PostalCodeField}

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        # What finds the commune (producers.towns.CommuneReader): a file's import shares one among its rows.
        self.communes = communes or towns.CommuneReader()
        self.fields["postal_code"].required = False  # taken from the commune when it has a single one
        self.fields["phone"].error_messages["invalid"] = PHONE_FORMAT
        instance = self.instance
        if instance.pk:
            if instance.commune_id:
                self.initial["commune"] = instance.commune.name
                self.initial["insee_code"] = instance.commune.insee_code
            self.initial["delivery_modes"] = [(d.mode, d.details) for d in instance.deliveries.select_related("mode")]

    def clean_name(self):
        name = self.cleaned_data.get("name")
        validate_visible(name)
        return name

    def clean_opening_hours(self):
        value = self.cleaned_data.get("opening_hours", "")
        initial = self.get_initial_for_field(self.fields["opening_hours"], "opening_hours") or ""
        # The per-day form writes hours in its own spelling ("Mo-We" for "Mo,Tu,We", "Mo-Su 00:00-24:00" for
        # "24/7"): hours that mean what they meant are kept as they were written, so an edit that left them alone
        # shows the volunteers no change and the producer's text stays theirs.
        if initial and value != initial and not self.fields["opening_hours"].has_changed(initial, value):
            return initial
        return value

    def clean_phone(self):
        phone = self.cleaned_data.get("phone")
        if phone and phonenumbers.region_code_for_number(phone) not in FRENCH_PHONE_REGIONS:
            raise ValidationError(PHONE_FORMAT, code="not_french")
        return phone

    def clean_latitude(self):
        return self._in_range("latitude", 90)

    def clean_longitude(self):
        return self._in_range("longitude", 180)

    def _in_range(self, name, limit):
        value = self.cleaned_data.get(name)
        if value is not None and not -limit <= value <= limit:
            raise ValidationError(_("Enter a value between -%(limit)s and %(limit)s.") % {"limit": limit})
        return value

    def clean_other_links(self):
        lines = [line.strip() for line in re.split(r"[|\n]", self.cleaned_data.get("other_links", "")) if line.strip()]
        field = forms.URLField(assume_scheme="https")
        cleaned = []
        for line in lines:
            try:
                cleaned.append(field.clean(line))
            except ValidationError:
                raise ValidationError(_("“%(link)s” is not a web address.") % {"link": line}, code="invalid") from None
        return "\n".join(cleaned)

    def clean(self):
        cleaned = super().clean()
        commune = self._resolve_commune(cleaned)
        if commune is None:
            cleaned.pop("commune", None)
        else:
            cleaned["commune"] = commune
        # Listing.clean() checks that the postal code belongs to the commune; only a missing one is handled here. The
        # place named may have one where its commune has several: "Paris 15e" is 75015.
        if commune is not None and "postal_code" in cleaned and not cleaned["postal_code"].strip():
            codes = self.place.postal_code_list if self.place is not None else commune.postal_code_list
            if len(codes) == 1:
                cleaned["postal_code"] = codes[0]
            else:
                message = _("%(commune)s has several postal codes: give one.") % {"commune": commune.name}
                self.add_error("postal_code", message)
        return cleaned

    def _get_validation_exclusions(self):
        exclude = super()._get_validation_exclusions()
        if "commune" in self._errors or "insee_code" in self._errors:
            # Already explained on the field: the model's "cannot be null" would only repeat it.
            exclude.add("commune")
        elif isinstance(commune := self.cleaned_data.get("commune"), Commune) and self.communes.has_read(commune):
            # Just read from the database: the model's check that it exists would be a query more for each row of a
            # file (docs/performance.md, "Town look-ups"). One from the cache may have been deleted since.
            exclude.add("commune")
        return exclude

    def _resolve_commune(self, cleaned):
        """The Commune meant by the INSEE code and/or the name, or None after adding an error."""
        name = (cleaned.get("commune") or "").strip()
        code = (cleaned.get("insee_code") or "").strip().upper()
        self.place = None
        if not code and INSEE_CODE.match(name):
            code, name = name.upper(), ""
        if code:
            commune = self.communes.by_insee(code)
            if commune is None:
                self.add_error("insee_code", self.commune_messages["unknown_code"] % {"code": code})
                return None
            # The name may be the commune's, or that of a place inside it: "Cannet" with 32344, Riscle's code, as the
            # row error of a file advises for Cannet, now part of Riscle; "Paris 15e" with 75056.
            self.place = towns.named_in(commune, name)
            if self.place is None:
                self.add_error(
                    "commune",
                    _("The INSEE code %(code)s is the code of %(commune)s, not of %(name)s.")
                    % {"code": code, "commune": commune.name, "name": name},
                )
                return None
            return commune
        if not name:
            self.add_error("commune", self.commune_messages["missing"])
            return None
        reading = self.communes(name, cleaned.get("postal_code") or "")
        if reading.place is not None:
            self.place = reading.place
            return reading.commune
        if not reading.choices:
            self.add_error("commune", _("We know no town called %(name)s.") % {"name": name})
        else:
            key = "ambiguous" if reading.exact else "look_alikes"
            message = self.commune_messages[key] % {"name": name, "places": describe_places(reading.choices)}
            self.add_error("commune", message)
        return None

    def _save_m2m(self):
        super()._save_m2m()
        if "delivery_modes" not in self.cleaned_data:
            return  # a form without the field (a partial import) leaves them as they are
        self.instance.deliveries.all().delete()
        self.instance.deliveries.bulk_create(
            [
                self.instance.deliveries.model(listing=self.instance, mode=mode, details=details)
                for mode, details in self.cleaned_data.get("delivery_modes", [])
            ]
        )
