"""The producers' submission and edit form.

It is producers.forms.listing.ListingForm (every listing rule lives there) with a public face:
plain sections, checkboxes instead of codes, a pin, photos, consent, and spam traps.
"""

import math

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from localdir import kept_files
from localdir.forms import ErrorSummaryMixin
from localdir.images import ImageField, PixelBudget
from localdir.text import fold
from producers import towns
from producers.attendances import MARKETS_MODE
from producers.filters import NAME_WITH_DEPARTMENT, resolve_commune
from producers.forms.attendances import MARKETS, STANDS, AttendanceRowsMixin
from producers.forms.listing import INSEE_CODE, ListingForm
from producers.listing_data import PLAIN_FIELDS
from producers.models import Category, Commune, DeliveryMode, Listing, ListingPhoto, LocalCurrency
from producers.towns import LABEL

from ..models import RevisionPhoto
from .traps import SpamTrapsMixin

MAX_PHOTOS = 6
# The listing page links the 1,600 px image and shows the 800 px one (ListingPhoto.thumbnail).
PHOTO_SIZES = {"large": 1600, "medium": 800}
# A pin further than this from the town's centre is taken as a slip of the finger: the town's point is used.
MAX_PIN_DISTANCE_KM = 30
# The producer's own contact details, by their purpose in HTML's autocomplete list.
AUTOCOMPLETE = {
    "name": "organization",
    "street_address": "street-address",
    "email": "email",
    "phone": "tel",
    "website": "url",
}


def _distance_km(lat1, lon1, lat2, lon2):
    dy = (lat1 - lat2) * 111.32
    dx = (lon1 - lon2) * 111.32 * math.cos(math.radians(lat1))
    return math.hypot(dx, dy)


def _coordinate_field(label, limit):
    """A latitude (limit 90) or longitude (180) of the pin. Visible, not hidden: typing them is how the pin is placed
    without a mouse or without JavaScript (pin.js moves the pin to typed values). French decimals ("47,47") are read
    too."""
    return forms.FloatField(
        label=label,
        required=False,
        min_value=-limit,
        max_value=limit,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class SubmissionForm(ErrorSummaryMixin, SpamTrapsMixin, AttendanceRowsMixin, ListingForm):
    """A producer's listing, new or edited through the private link."""

    max_photos = MAX_PHOTOS

    # The town's code is a hidden input that the town field sets.
    error_fields = {"insee_code": "commune"}
    # Django's messages for the pin's boxes ("Enter a number.") name neither.
    labelled_in_summary = ("latitude", "longitude", *(f"photo_{n}" for n in range(1, MAX_PHOTOS + 1)))
    # Optional for the import (an INSEE code may stand for it) but not here.
    marked_required = {"commune"}
    commune_messages = {
        "missing": _("Give the name of your commune."),
        "unknown_code": _("Give the name of your commune."),
        "ambiguous": _("Several communes are called %(name)s: give your postal code to say which one."),
        "choose": _("Several communes match “%(name)s”: choose yours below, or give your postal code."),
        "confirm": _("Check your commune: if it is the one below, choose it; else correct the name."),
        "look_alikes": _(
            "No commune is called “%(name)s”: if yours is one of those below, choose it; else correct the name."
        ),
    }
    # The radio buttons of the communes to choose from, when the name typed fits several or only a look-alike.
    CHOICE = "commune_choice"
    commune_choices = ()

    categories = forms.ModelMultipleChoiceField(
        label=_("What do you offer?"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick one or more."),
        error_messages={"required": _("Tick at least one of the things you offer.")},
    )
    currencies = forms.ModelMultipleChoiceField(
        label=_("Local currencies you accept"),
        queryset=LocalCurrency.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    delivery_modes = forms.ModelMultipleChoiceField(
        label=_("How can people buy from you?"),
        queryset=DeliveryMode.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick each way, and add details if useful (e.g. which market, which day)."),
    )
    image_rights = forms.BooleanField(
        label=_("I own these photos or have permission to publish them, and I allow the directory to show them."),
        required=False,
    )
    # Photos accepted on an earlier send of this form that another answer made fail (localdir.kept_files).
    kept_photos = forms.CharField(widget=forms.HiddenInput, required=False)
    remove_kept = forms.MultipleChoiceField(
        label=_("Photos you already sent"), widget=forms.CheckboxSelectMultiple, required=False
    )
    remove_photos = forms.ModelMultipleChoiceField(
        label=_("Remove these photos"),
        queryset=ListingPhoto.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # The photos of the edit waiting for review, which a new edit of a published listing carries over.
    remove_edit_photos = forms.ModelMultipleChoiceField(
        label=_("Remove photos sent with your waiting changes"),
        queryset=RevisionPhoto.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    latitude = _coordinate_field(_("Latitude"), 90)
    longitude = _coordinate_field(_("Longitude"), 180)

    fieldsets = [
        (_("Your activity"), ["name", "kind", "market_type", "categories", "short_description", "description"]),
        (_("Where to find you"), ["street_address", "commune", "postal_code", "insee_code", "latitude", "longitude"]),
        (
            _("How to contact you"),
            ["email", "email_public", "phone", "website", "facebook_url", "instagram_url", "other_links"],
        ),
        (_("When you are open"), ["opening_hours"]),
        (_("How people buy"), ["delivery_modes", "currencies"]),
        (
            _("Photos"),
            ["remove_photos", "remove_edit_photos", "kept_photos", "remove_kept"]
            + [f"photo_{n}" for n in range(1, MAX_PHOTOS + 1)]
            + ["image_rights"],
        ),
    ]

    def __init__(self, *args, pending_edit=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The waiting edit whose photos this form counts and offers to remove (None: no edit was waiting).
        self.pending_edit = pending_edit
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "We send your private link here. It appears on your listing only if you tick the box below."
        )
        # The error summary lists messages without their fields: "This field is required." twice said nothing.
        self.fields["name"].error_messages["required"] = _("Give the name of your activity.")
        self.fields["email"].error_messages["required"] = _("Give your email address: we send your private link there.")
        # Django's "Enter a valid URL." names neither the field nor what to type, and a producer may not know the word.
        website = self.fields["website"]
        website.error_messages["invalid"] = _("Give your website's address, such as www.ferme-du-lac.fr.")
        for name in ("facebook_url", "instagram_url"):
            self.fields[name].error_messages["invalid"] = self.fields[name].error_messages["handle"]
        # Browsers and password managers fill these in for the producer (WCAG 1.3.5, identify input purpose).
        for name, purpose in AUTOCOMPLETE.items():
            self.fields[name].widget.attrs["autocomplete"] = purpose
        self.fields["insee_code"].widget = forms.HiddenInput()
        self.fields["commune"].widget.attrs.update(
            {
                "list": "commune-options",
                "autocomplete": "off",
                "data-autocomplete-url": reverse("producers:commune_autocomplete"),
                "data-postal-code-input": self["postal_code"].auto_id,
            }
        )
        self.fields["commune"].help_text = _("Its name, e.g. “Angers” or “Angers (49)”.")
        existing = self.instance.photos.all() if self.instance.pk else ListingPhoto.objects.none()
        self.fields["remove_photos"].queryset = existing
        # A published listing's waiting edit keeps its photos when another edit replaces it: they count too.
        edit_photos = pending_edit.photos.all() if pending_edit is not None else RevisionPhoto.objects.none()
        self.fields["remove_edit_photos"].queryset = edit_photos
        existing_pks = list(existing.values_list("pk", flat=True)) if self.instance.pk else []
        self.photo_slots = MAX_PHOTOS - len(existing_pks) - len(edit_photos)
        self._removable = {
            "remove_photos": {str(pk) for pk in existing_pks},
            "remove_edit_photos": {str(photo.pk) for photo in edit_photos},
        }
        # One budget for all the photos of a sending: a form decodes a bounded number of pixels.
        pixel_budget = PixelBudget()
        for n in range(1, MAX_PHOTOS + 1):
            self.fields[f"photo_{n}"] = ImageField(
                label=_("Photo %(number)s") % {"number": n}, required=False, sizes=PHOTO_SIZES, budget=pixel_budget
            )
        if not self.instance.pk:
            del self.fields["remove_photos"]
        if pending_edit is None:
            del self.fields["remove_edit_photos"]
        self.kept = kept_files.unsign(self.data.get(self.add_prefix("kept_photos"))) if self.is_bound else []
        self.fields["remove_kept"].choices = [(name, name) for name in self.kept]
        # Each delivery mode has its optional details (“Saturday market in Angers”) in a box beside its checkbox.
        details_max = Listing.delivery_modes.through._meta.get_field("details").max_length
        self.delivery_mode_list = list(DeliveryMode.objects.all())
        current = {d.mode_id: d.details for d in self.instance.deliveries.all()} if self.instance.pk else {}
        for mode in self.delivery_mode_list:
            self.fields[self.details_field(mode)] = forms.CharField(
                label=_("Details for “%(mode)s” (optional)") % {"mode": mode.translated_name},
                max_length=details_max,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": _("Details (optional)")}),
            )
            if mode.pk in current:
                self.initial[self.details_field(mode)] = current[mode.pk]
        if self.instance.pk:
            modes = {mode.pk: mode.code for mode in self.delivery_mode_list}
            self.initial["delivery_modes"] = [modes[pk] for pk in current if pk in modes]
        # A producer says which markets they attend; a market's organiser, which producers have a stand there.
        is_market = self.instance.pk and self.instance.kind == Listing.Kind.MARKET
        self.add_attendance_rows(STANDS if is_market else MARKETS)

    def show_edit(self, data):
        """Show a pending edit's values (a Revision's data) instead of the live listing's: a producer coming back to
        their link sees what they sent, and sending the form again keeps what they leave alone."""
        for name in [*PLAIN_FIELDS, "phone"]:
            if name in data:
                self.initial[name] = data[name]
        commune = Commune.objects.filter(pk=data.get("commune")).first()
        if commune is not None:
            self.initial["commune"], self.initial["insee_code"] = commune.name, commune.insee_code
        for name, model in (("categories", Category), ("currencies", LocalCurrency)):
            self.initial[name] = list(model.objects.filter(pk__in=data.get(name, [])).values_list("slug", flat=True))
        ticked = dict(data.get("delivery_modes", []))
        self.initial["delivery_modes"] = [mode.code for mode in self.delivery_mode_list if mode.pk in ticked]
        for mode in self.delivery_mode_list:
            self.initial[self.details_field(mode)] = ticked.get(mode.pk, "")
        self.initial["remove_photos"] = data.get("remove_photos", [])
        if self.attendance_side in data:
            # The markets it names, as its other values: sent again as shown, they stay in it.
            self.add_attendance_rows(self.attendance_side, data[self.attendance_side])

    @staticmethod
    def details_field(mode):
        return f"delivery_details_{mode.code}"

    def delivery_rows(self):
        """[(checkbox, details bound field)] for each delivery mode, for the template."""
        details = {mode.code: self[self.details_field(mode)] for mode in self.delivery_mode_list}
        return [(checkbox, details[str(checkbox.data["value"])]) for checkbox in self["delivery_modes"]]

    def _ticked(self):
        """How many of the listing's photos, and of the waiting edit's, are ticked for removal (by the producer, or by
        the waiting edit shown), as clean() counts them."""
        return sum(
            len(pks & {str(value) for value in self[name].value() or []})
            for name, pks in self._removable.items()
            if name in self.fields
        )

    def photos_full(self):
        """No room left beside the photos the listing keeps and those kept from an earlier send."""
        return self.photo_slots + self._ticked() - len(self.kept) <= 0

    def photo_boxes(self):
        """How many empty photo boxes the form offers: what the limit leaves beside the listing's photos, those of the
        edit waiting for review and those kept from an earlier send, plus one for each photo ticked for removal (on a
        published listing the removal waits for review, and coming back must offer its box). At the limit, one box
        while a photo can still be ticked: without JavaScript the box must be on the page before the tick, so that a
        producer replaces a photo in one send; clean() refuses the new photo if nothing is ticked."""
        free = self.photo_slots + self._ticked() - len(self.kept)
        if free > 0:
            return free
        removable = sum(len(pks) for name, pks in self._removable.items() if name in self.fields)
        return 1 if removable > self._ticked() or self.kept else 0

    def _shown(self, name):
        if name.startswith("photo_"):
            return name in self._photo_fields_shown()
        if name == "image_rights":
            # No photo to send, none to allow.
            return bool(self.photo_boxes() or self.kept or self.has_error(name))
        return True

    def _photo_fields_shown(self):
        """The boxes offered, refused photos' first: their message must sit next to a box, whose number the summary
        names. A refused photo is not kept, so the boxes left always include its own."""
        names = [f"photo_{n}" for n in range(1, MAX_PHOTOS + 1)]
        refused = [name for name in names if self.has_error(name)]
        others = [name for name in names if name not in refused]
        shown = set(refused + others[: max(self.photo_boxes() - len(refused), 0)])
        return [name for name in names if name in shown]

    def visible_fieldsets(self):
        """[(legend, [bound fields])] for the template; the markets' rows after "How people buy"."""
        sections = [
            (legend, [self[name] for name in names if name in self.fields and self._shown(name)])
            for legend, names in self.fieldsets
        ]
        legend = _("Markets where you sell") if self.attendance_side == MARKETS else _("Producers at your market")
        rows = [self[name] for name in self.attendance_field_names()]
        sections.insert(self.attendance_section, (legend, rows))
        return sections

    @property
    def attendance_section(self):
        """The markets' rows come right after "How people buy"."""
        return next(n for n, (_legend, names) in enumerate(self.fieldsets) if "delivery_modes" in names) + 1

    def attendance_row_fields(self):
        """[(name, when, other bound fields)] for the template."""
        return [tuple(self[name] for name in row) for row in self.attendance_rows]

    def _clean_deliveries(self, cleaned):
        """The ticked modes with their details, [(mode, details)] as ListingForm saves them."""
        ticked = {mode.pk for mode in cleaned.get("delivery_modes") or []}
        deliveries = []
        for mode in self.delivery_mode_list:
            name = self.details_field(mode)
            details = (cleaned.get(name) or "").strip()
            if mode.pk in ticked:
                deliveries.append((mode, details))
            elif details:
                # Unticking a mode is how a producer removes it: details left beside it must not bring it back.
                self.add_error(
                    name, _("Tick “%(mode)s” to keep these details, or clear them.") % {"mode": mode.translated_name}
                )
        cleaned["delivery_modes"] = deliveries

    def _ask_for_a_market(self, cleaned):
        """ "On the markets" ticked with no market named, neither in the rows nor in the mode's details (a market the
        directory does not list yet): the listing would say where to buy and not which market."""
        mode = next((mode for mode in self.delivery_mode_list if mode.code == MARKETS_MODE), None)
        details = dict(cleaned["delivery_modes"]).get(mode)
        if details is None or details or self.has_error(self.details_field(mode)):
            return
        # A market's form lists its stands instead; a row typed and refused has its own message.
        if self.attendance_side != MARKETS or cleaned.get("kind") == Listing.Kind.MARKET:
            return
        if any((self.data.get(self.add_prefix(name)) or "").strip() for name, _when, _other in self.attendance_rows):
            return
        self.add_error(
            self.attendance_rows[0][0],
            _(
                "Name at least one market where you sell, or untick “%(mode)s”. A market the directory does not list "
                "yet can go in the details beside “%(mode)s”."
            )
            % {"mode": mode.translated_name},
        )

    def error_anchor(self, bound_field):
        if bound_field.name == "commune" and self.commune_choices:
            return f"id_{self.add_prefix(self.CHOICE)}_0"  # the first choice, as GOV.UK's radios are linked
        return super().error_anchor(bound_field)

    def commune_choice_rows(self):
        """(input name, [(input id, INSEE code, towns.Place, checked)]) for the template's radio buttons."""
        name = self.add_prefix(self.CHOICE)
        chosen = (self.data.get(name) or "").strip().upper() if self.is_bound else ""
        return name, [
            (f"id_{name}_{n}", place.code, place, place.code == chosen) for n, place in enumerate(self.commune_choices)
        ]

    def _resolve_commune(self, cleaned):
        self.commune_choices = []
        name = (cleaned.get("commune") or "").strip()
        code = (cleaned.get("insee_code") or "").strip().upper()
        if code:
            # The hidden code comes from the town picked (or saved) before; a name typed since then wins.
            match = NAME_WITH_DEPARTMENT.match(name)
            known = Commune.objects.filter(insee_code=code).first()
            if known is not None and fold(match["name"] if match else name) == known.search_name:
                cleaned["commune"] = name = known.name
            elif name:
                cleaned["insee_code"] = ""
        # The autocomplete offers "Angers (49)" and "Andard (Loire-Authion)": producers.towns knows these forms.
        if not cleaned.get("insee_code") and LABEL.match(name):
            commune = resolve_commune(name)
            if commune is not None:
                cleaned["insee_code"], cleaned["commune"] = commune.insee_code, commune.name
        if cleaned.get("insee_code") or not name or INSEE_CODE.match(name):
            return super()._resolve_commune(cleaned)
        # Never one town picked silently among several, nor a look-alike: the producer chooses (without JavaScript,
        # radio buttons), or gives the postal code. A choice counts only among those offered for the name sent.
        offered = towns.places_offered(name, (cleaned.get("postal_code") or "").strip())
        self.commune_choices = list(offered.choices)
        if not self.commune_choices:
            return super()._resolve_commune(cleaned)
        chosen = (self.data.get(self.add_prefix(self.CHOICE)) or "").strip().upper()
        place = next((place for place in self.commune_choices if place.code == chosen), None)
        if place is not None:
            cleaned["insee_code"], cleaned["commune"] = place.code, place.commune.name
            return super()._resolve_commune(cleaned)
        if len(self.commune_choices) == 1:
            message = self.commune_messages["confirm"]
        else:
            message = self.commune_messages["choose" if offered.exact else "look_alikes"]
        message %= {"name": name}
        self.add_error("commune", message)
        return None

    def _kept_names(self):
        removed = set(self.cleaned_data.get("remove_kept") or [])
        return [name for name in self.kept if name not in removed]

    def _new_photos(self):
        return [
            self.cleaned_data[f"photo_{n}"] for n in range(1, MAX_PHOTOS + 1) if self.cleaned_data.get(f"photo_{n}")
        ]

    def photos(self):
        """The photos to store: those kept from an earlier send, then the new ones, all re-encoded."""
        if not hasattr(self, "_photos"):
            self._photos = [kept_files.load(name) for name in self._kept_names()] + self._new_photos()
        return self._photos

    def photo_count(self):
        return len(self._kept_names()) + len(self._new_photos())

    def keep_photos(self):
        """Before showing a refused form again: store its accepted photos and carry them in the signed field."""
        names = self._kept_names()
        discarded = [name for name in self.kept if name not in names]
        for photo in self._new_photos()[: max(MAX_PHOTOS - len(names), 0)]:
            names.append(kept_files.keep(photo))
        kept_files.discard(discarded)
        self.data = self.data.copy()
        self.data[self.add_prefix("kept_photos")] = kept_files.sign(names)
        self.data.setlist(self.add_prefix("remove_kept"), [])
        self.kept = names

    def kept_thumbnails(self):
        """[(checkbox, thumbnail address)] for the template."""
        urls = {name: kept_files.thumbnail_url(name) for name in self.kept}
        self.fields["remove_kept"].choices = [(name, name) for name in self.kept]
        return [(checkbox, urls[checkbox.data["value"]]) for checkbox in self["remove_kept"]]

    def current_thumbnails(self):
        """[(checkbox, thumbnail address)] of the listing's photos, for the template: a producer picks the photos to
        remove by sight, not by their stored file names."""
        return self._thumbnails("remove_photos")

    def edit_thumbnails(self):
        """The same for the photos of the edit waiting for review."""
        return self._thumbnails("remove_edit_photos")

    def _thumbnails(self, name):
        if name not in self.fields:
            return []
        return [(checkbox, checkbox.data["value"].instance.thumbnail_url) for checkbox in self[name]]

    def discard_kept_photos(self):
        """After the photos were copied to the listing or the edit."""
        kept_files.discard(self.kept)

    def _check_photo_limit(self, cleaned):
        """At most MAX_PHOTOS photos once the ticked ones are removed. A new photo beyond is refused next to its box,
        and not kept: the message says to tick the photo it replaces and choose it again. Photos kept from an
        earlier send beyond it (a removal unticked since) stay kept, and the message asks for a tick."""
        removed = len(cleaned.get("remove_photos") or []) + len(cleaned.get("remove_edit_photos") or [])
        room = self.photo_slots + removed - len(self._kept_names())
        if room < 0:
            # Beside photos the producer can tick: the listing's, else the waiting edit's, else those kept.
            removable = [name for name in ("remove_photos", "remove_edit_photos") if self._removable[name]]
            field = next((name for name in removable if name in self.fields), "remove_kept")
            self.add_error(
                field,
                _(
                    "A listing has %(max)s photos at most, and with the photos you sent yours would have %(total)s: "
                    "tick those to remove."
                )
                % {"max": MAX_PHOTOS, "total": MAX_PHOTOS - room},
            )
            room = 0
        sent = [f"photo_{n}" for n in range(1, MAX_PHOTOS + 1) if cleaned.get(f"photo_{n}")]
        for name in sent[room:]:
            self.add_error(
                name,
                _(
                    "This photo was not kept: a listing has %(max)s photos at most. Tick above the photo it replaces, "
                    "then choose it again here."
                )
                % {"max": MAX_PHOTOS},
            )

    def clean(self):
        cleaned = super().clean()
        self._clean_deliveries(cleaned)
        self.clean_attendance_rows(cleaned)
        self._ask_for_a_market(cleaned)
        self._check_photo_limit(cleaned)
        if self.photo_count() and not cleaned.get("image_rights"):
            self.add_error("image_rights", _("Tick this box to send photos, or remove them."))
        commune = cleaned.get("commune")
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if commune is not None and hasattr(commune, "latitude"):
            if (
                lat is None
                or lon is None
                or _distance_km(lat, lon, commune.latitude, commune.longitude) > MAX_PIN_DISTANCE_KM
            ):
                cleaned["latitude"], cleaned["longitude"] = commune.latitude, commune.longitude
        return cleaned
