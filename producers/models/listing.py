"""Listings: the producers, artisans, shops and creators of the directory."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, transaction
from django.db.models import BooleanField, Exists, Expression, ExpressionWrapper, F, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from localdir.images import random_upload_path
from localdir.reversing import reverse_with_slug
from localdir.text import validate_single_line
from localdir.translated import TranslatedName
from producers import search
from producers.hours import validate_opening_hours

from .distance import CloserThan, DistanceSq
from .places import Commune, Department
from .taxonomy import Category, LocalCurrency

# Changing one of these changes the search document; categories are followed by producers.search.signals.
SEARCHED_FIELDS = {"name", "short_description", "description"}


class DeliveryMode(TranslatedName):
    """How shoppers get the goods: sale on site, click-and-collect, home delivery, shipping, markets."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("delivery mode")
        verbose_name_plural = _("delivery modes")


class CategoryIds(Expression):
    """A listing's category ids as PostgreSQL stores them on its row (migration 0020, in id order): its categories
    read with the row, without the link table's query. Named through the primary key's column, see InCategory."""

    output_field = models.Field()

    def __init__(self):
        super().__init__()
        self.pk = F("pk")

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk, params = compiler.compile(self.pk)
        table = pk.rpartition(".")[0]
        return f"{table}.{connection.ops.quote_name('category_ids')}" if table else "category_ids", params


class InCategory(CategoryIds):
    """The condition that a listing has a category, from the ids PostgreSQL stores on its row (migration 0020).

    That column is no field of the model (Django must never write it), so it is named through the primary key's
    column: the same table alias, relabelled with it when the query becomes a subquery."""

    output_field = BooleanField()

    def __init__(self, category_id):
        super().__init__()
        self.category_id = category_id

    def as_sql(self, compiler, connection):
        column, params = super().as_sql(compiler, connection)
        # `@>` rather than `= ANY()`: the planner estimates it from the column's element statistics (`= ANY` was
        # taken for 7 times fewer rows than it matched, and the page's joins were planned on that).
        return f"{column} @> ARRAY[%s]::bigint[]", [*params, self.category_id]


class ListingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Listing.Status.PUBLISHED)

    def in_category(self, category_id):
        """Listings of a category. PostgreSQL reads the ids stored on each listing's row, which an index holds
        beside the department and coordinates: a circle's count never leaves that index (it probed the link table
        once per listing). SQLite joins the links; a listing has each category once, so the join repeats none."""
        if connections[self.db].vendor == "postgresql":
            return self.filter(InCategory(category_id))
        return self.filter(categories=category_id)

    def in_department(self, department):
        return self.filter(department=department)

    def search(self, text):
        """Listings matching every word of `text` (French stems, synonyms), best first: see producers.search."""
        return search.search(self, text)

    def within(self, latitude, longitude, km):
        """Listings within `km` of a point, annotated with `distance_sq` (km²) for ordering (see .distance)."""
        return self.annotate(distance_sq=DistanceSq(latitude, longitude)).closer_than(latitude, longitude, km)

    def closer_than(self, latitude, longitude, km):
        """Of listings annotated by within() around the same point, those within `km` (≤ within's radius)."""
        return self.filter(CloserThan(latitude, longitude, km))

    def with_current_closures(self, today=None):
        """Prefetch each listing's temporary closures that are not over into `current_closures` (one query for all),
        for hours.status() and hours.attach_statuses()."""
        from .closures import Closure

        closures = Closure.objects.not_over(today)
        return self.prefetch_related(Prefetch("closures", queryset=closures, to_attr="current_closures"))

    def open_at(self, moment=None):
        """Listings open at `moment` (aware datetime, default now), read in Paris wall-clock time.

        Reads the OpeningSlot rows written from the hours' own evaluation (seasons, week numbers, "Sa[1]", public
        holidays included) for the next OPENING_SLOT_WEEKS weeks: the cards and the map say the same thing. A
        moment past that window finds nothing open: the daily `refresh_opening_slots` command moves it on. A
        temporary closure covering the day (in Paris) wins.
        """
        return self.filter(Exists(_open_slots(moment)), ~Exists(_closures_on(moment)))

    def open_on(self, days, after=None):
        """Listings open at some time of one of `days` (dates in Paris) and not closed that day (a temporary closure);
        on the first day, only ranges still open after `after` (Paris minutes since midnight) count.

        "Today" and "this weekend" for markets: read from the same OpeningSlot rows as open_at(), so only days of the
        slots' window (the next OPENING_SLOT_WEEKS weeks) can be asked.
        """
        from .closures import Closure

        held = Q(pk__in=[])
        for index, day in enumerate(days):
            slots = OpeningSlot.objects.filter(
                listing=OuterRef("pk"), weekday=day.weekday(), first_day__lte=day, last_day__gte=day
            )
            if index == 0 and after is not None:
                slots = slots.filter(closes__gt=after)
            closed = Closure.objects.filter(listing=OuterRef("pk")).covering(day)
            held |= Q(Exists(slots)) & ~Q(Exists(closed))
        return self.filter(held)

    def with_open_now(self, moment=None):
        """Annotate `is_open` (bool) as open_at() decides it, for lists and maps."""
        return self.annotate(
            is_open=ExpressionWrapper(
                Q(Exists(_open_slots(moment))) & ~Q(Exists(_closures_on(moment))), output_field=models.BooleanField()
            )
        )


def _closures_on(moment):
    from .closures import Closure, paris_today

    return Closure.objects.filter(listing=OuterRef("pk")).covering(paris_today(moment))


def _open_slots(moment):
    from producers import hours

    local = timezone.localtime(moment or timezone.now(), hours.PARIS)
    day, minute = local.date(), local.hour * 60 + local.minute
    return OpeningSlot.objects.filter(
        listing=OuterRef("pk"),
        weekday=day.weekday(),
        first_day__lte=day,
        last_day__gte=day,
        opens__lte=minute,
        closes__gt=minute,
    )


# Tries to find a free slug when listings of the same name are saved at once: one per concurrent save is enough.
SLUG_ATTEMPTS = 50


class Listing(models.Model):
    class Kind(models.TextChoices):
        PRODUCER = "producer", _("Producer")
        ARTISAN = "artisan", _("Artisan")
        SHOP = "shop", _("Shop")
        CREATOR = "creator", _("Creator")
        MARKET = "market", _("Market")
        COLLECTIVE = "collective", _("Collective or cooperative")

    class MarketType(models.TextChoices):
        """What kind of selling place a listing of kind "market" is."""

        WEEKLY = "weekly", _("Weekly market")
        PICKUP = "pickup", _("AMAP or basket pick-up point")
        FARM_SHOP = "farm_shop", _("Farm-shop collective")
        # A one-off: its hours are dates ("2026 Dec 12-14 10:00-19:00"), not a week.
        FAIR = "fair", _("Craft fair or Christmas market")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        REJECTED = "rejected", _("Rejected")
        # Not confirmed for LISTING_HIDE_AFTER_DAYS: off the public pages until its producer or a volunteer confirms
        # it (moderation.freshness). Not deleted: confirming brings it back as it was.
        UNCONFIRMED = "unconfirmed", _("Awaiting confirmation")

    name = models.CharField(_("name"), max_length=150, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=170, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRODUCER)
    market_type = models.CharField(
        _("kind of market"),
        max_length=20,
        choices=MarketType.choices,
        blank=True,
        help_text=_("For a market only: weekly market, pick-up point, farm-shop collective or fair."),
    )
    short_description = models.CharField(
        _("short description"), max_length=200, blank=True, validators=[validate_single_line]
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Your savoir-faire, your products."))
    categories = models.ManyToManyField(Category, related_name="listings", verbose_name=_("categories"))

    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="listings", verbose_name=_("commune"))
    postal_code = models.CharField(_("postal code"), max_length=5)
    # Copied from the commune on save: the department pages filter on it without a join.
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="listings", editable=False)
    latitude = models.FloatField(_("latitude"), blank=True, null=True)
    longitude = models.FloatField(_("longitude"), blank=True, null=True)

    phone = PhoneNumberField(_("phone"), blank=True, region="FR")
    email = models.EmailField(_("email"), blank=True)
    # Privacy by default: the address always reaches the volunteers, the public only if the producer says so.
    email_public = models.BooleanField(_("show the email address on the listing"), default=False)
    website = models.URLField(_("website"), blank=True)
    facebook_url = models.URLField(_("Facebook page"), blank=True)
    instagram_url = models.URLField(_("Instagram account"), blank=True)
    other_links = models.TextField(_("other links"), blank=True, help_text=_("One address per line."))

    opening_hours = models.CharField(
        _("opening hours"),
        max_length=500,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_("OpenStreetMap opening_hours syntax."),
    )
    delivery_modes = models.ManyToManyField(
        DeliveryMode, through="ListingDelivery", related_name="listings", blank=True, verbose_name=_("delivery modes")
    )
    currencies = models.ManyToManyField(
        LocalCurrency, related_name="listings", blank=True, verbose_name=_("local currencies accepted")
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    # The language the producer used on the form: the volunteers' emails are written in it.
    language = models.CharField(_("producer's language"), max_length=8, blank=True, editable=False)
    # The identifier a partner's file gives this listing, so that importing the file again updates it.
    external_id = models.CharField(_("external identifier"), max_length=100, blank=True, null=True, unique=True)
    # Search stems (producers.search.documents): name and categories, then descriptions.
    search_title = models.TextField(editable=False, default="")
    search_body = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # When a volunteer or the producer last said the listing is right: each approval, approved edit and confirmation.
    # The yearly "is your listing still correct?" counts from it (moderation.freshness).
    confirmed_at = models.DateTimeField(_("information confirmed"), null=True, blank=True)
    # When what the public sees last changed: the first publication, an approved edit, a re-publication. Not a mere
    # confirmation ("nothing changed"): the feeds and email alerts of new and updated listings read it.
    changed_at = models.DateTimeField(_("last public change"), null=True, blank=True, editable=False)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("listing")
        verbose_name_plural = _("listings")
        indexes = [
            models.Index(fields=["status", "department", "name"]),
            models.Index(fields=["status", "latitude", "longitude"]),
            # The maps count published listings per grid cell inside a box: these answer from the index alone
            # (PostgreSQL's INCLUDE; SQLite keeps the partial index without it), all of France or a department.
            models.Index(
                fields=["latitude", "longitude"],
                include=["id"],
                condition=Q(status="published"),
                name="listing_published_position",
            ),
            # On PostgreSQL it includes the listing's category ids too (migration 0020, which rebuilt it under the
            # same name): a migration that changes this index must keep them, or category counts read the table.
            models.Index(
                fields=["department", "latitude", "longitude"],
                include=["id"],
                condition=Q(status="published"),
                name="listing_published_dept_pos",
            ),
            # The national list's first page in the default order, without sorting every published listing.
            models.Index(fields=["status", "name", "id"]),
            models.Index(fields=["status", "-published_at"]),
            # The feeds of new and updated listings, newest change first.
            models.Index(fields=["status", "-changed_at"]),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.commune_id and self.postal_code and self.postal_code not in self.commune.postal_code_list:
            raise ValidationError(
                {"postal_code": _("This postal code does not belong to %(commune)s.") % {"commune": self.commune.name}}
            )

    def save(self, *args, **kwargs):
        if self.kind != self.Kind.MARKET:
            self.market_type = ""
        if self.commune_id:
            self.department_id = self.commune.department_id
            if self.latitude is None or self.longitude is None:
                self.latitude, self.longitude = self.commune.latitude, self.commune.longitude
            if not self.postal_code:
                self.postal_code = self.commune.main_postal_code
        generated_slug = not self.slug
        if generated_slug:
            self.slug = self._unique_slug()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.status == self.Status.PUBLISHED and self.changed_at is None:
            self.changed_at = self.published_at
        if self.status == self.Status.PUBLISHED and self.confirmed_at is None:
            # Published by any path (a decision, an import): what is published was checked now.
            self.confirmed_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is None or SEARCHED_FIELDS.intersection(update_fields):
            self.search_title, self.search_body = search.listing_document(self)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *search.FIELDS}
        if generated_slug:
            self._save_with_free_slug(*args, **kwargs)
        else:
            super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "opening_hours" in update_fields:
            self.refresh_opening_slots()

    def _save_with_free_slug(self, *args, **kwargs):
        """Two listings of the same name saved at the same moment both find the slug free, and the second insert
        breaks the unique key (on PostgreSQL it waits for the first to commit, then fails). Each try runs in a
        savepoint, so the caller's transaction survives, and the next free slug is looked up again."""
        for attempt in range(SLUG_ATTEMPTS):
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                taken = Listing.objects.filter(slug=self.slug).exclude(pk=self.pk).exists()
                if not taken or attempt == SLUG_ATTEMPTS - 1:
                    raise
                self.slug = self._unique_slug()

    def _unique_slug(self):
        base = slugify(f"{self.name} {self.commune.name if self.commune_id else ''}")[:150] or "activite"
        slug, n = base, 2
        while Listing.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def refresh_opening_slots(self):
        """Write this listing's OpeningSlot rows again from its hours, for the window starting today."""
        OpeningSlot.objects.refresh([self])

    def get_absolute_url(self):
        return reverse_with_slug("producers:listing", self.slug)

    def get_kind_display(self):
        """Django's, without building a dictionary of the choices on each call (as long as three variables of the
        listing's page)."""
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def is_market(self):
        return self.kind == self.Kind.MARKET

    @property
    def other_link_list(self):
        return [line.strip() for line in self.other_links.splitlines() if line.strip()]


# Listing.get_kind_display()'s labels (lazy: translated when shown).
KIND_LABELS = dict(Listing.Kind.choices)


class ListingDelivery(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="deliveries")
    mode = models.ForeignKey(DeliveryMode, on_delete=models.PROTECT, related_name="+", verbose_name=_("mode"))
    details = models.CharField(_("details"), max_length=200, blank=True)

    class Meta:
        ordering = ["mode__position"]
        unique_together = [("listing", "mode")]
        verbose_name = _("delivery mode")
        verbose_name_plural = _("delivery modes")

    def __str__(self):
        return f"{self.mode}: {self.details}" if self.details else str(self.mode)


class Photo(models.Model):
    """A listing's photo, stored in the sizes the pages use (re-encoded by localdir.images.process_image)."""

    image = models.ImageField(_("image"), upload_to=random_upload_path)
    # The 800 px copy shown in galleries and the volunteers' queue; the image itself is 1,600 px at most.
    thumbnail = models.ImageField(upload_to=random_upload_path, blank=True, editable=False)
    alt_text = models.CharField(_("description of the image"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.alt_text or self.image.name

    @classmethod
    def from_processed(cls, processed, **fields):
        """An unsaved photo from a localdir.images.ProcessedImage, with its medium size as thumbnail."""
        return cls(image=processed, thumbnail=processed.variants.get("medium") or "", **fields)

    @property
    def thumbnail_url(self):
        return (self.thumbnail or self.image).url

    def delete_files(self):
        for stored in (self.image, self.thumbnail):
            if stored:
                stored.delete(save=False)


# The largest position a PositiveSmallIntegerField holds on every database (SQLite would store more, PostgreSQL not).
LAST_PHOTO_POSITION = 32767


def next_photo_position(photos, adding=1):
    """Where the `adding` photos about to join `photos` (a listing's or an edit's) go: after the highest position, 0
    if there is none. Inside the caller's transaction, with the listing locked. The other photos keep their
    positions: the listing admin's photo inline posts back the positions its page was built with, so numbering them
    again 0, 1, 2… would let a volunteer saving a page opened before put a new photo (numbered low now) first. Only
    when the new photos would pass the 32,767 a PositiveSmallIntegerField holds (positions only grow) are the photos
    numbered again 0, 1, 2… in the order shown, (position, pk), writing only those that move."""
    last = photos.aggregate(last=models.Max("position"))["last"]
    if last is None:
        return 0
    if last + adding <= LAST_PHOTO_POSITION:
        return last + 1
    ordered = list(photos.order_by("position", "pk").only("pk", "position"))
    moved = []
    for position, photo in enumerate(ordered):
        if photo.position != position:
            photo.position = position
            moved.append(photo)
    photos.model.objects.bulk_update(moved, ["position"])
    return len(ordered)


class ListingPhoto(Photo):
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


def slot_window(today=None):
    """(first day, number of days) of the slots written today: OPENING_SLOT_WEEKS weeks from today in Paris."""
    from producers import hours

    today = today or timezone.localtime(timezone.now(), hours.PARIS).date()
    return today, 7 * settings.OPENING_SLOT_WEEKS


class OpeningSlotQuerySet(models.QuerySet):
    def refresh(self, listings, today=None):
        """Replace the slots of `listings` (instances with `pk` and `opening_hours`) by those of the window from
        `today`; returns the number of rows written. The listings' rows are locked first, so a save changing the
        hours meanwhile either waits for this or is seen by it: never old hours written over new ones."""
        from producers import hours

        first_day, days = slot_window(today)
        pks = [listing.pk for listing in listings]
        with transaction.atomic():
            # What is in the database now, under lock: the caller's instances may be older than a concurrent save.
            current = dict(
                Listing.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk", "opening_hours")
            )
            self.filter(listing__in=pks).delete()
            rows = [
                OpeningSlot(listing_id=pk, **slot._asdict())
                for pk, expression in current.items()
                for slot in hours.dated_slots(expression, first_day, days)
            ]
            self.bulk_create(rows, batch_size=2000)
        return len(rows)


class OpeningSlot(models.Model):
    """A range of Paris wall-clock minutes a listing is open on `weekday`, every week from `first_day` to `last_day`.

    Written from the listing's hours for the coming weeks (producers.hours.slots), at each save and by the daily
    `refresh_opening_slots` command; never edited.
    """

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="opening_slots")
    weekday = models.PositiveSmallIntegerField()  # 0 = Monday
    first_day = models.DateField()
    last_day = models.DateField()
    opens = models.PositiveSmallIntegerField()  # minutes since midnight
    closes = models.PositiveSmallIntegerField()  # minutes since midnight, up to 1440

    objects = OpeningSlotQuerySet.as_manager()

    class Meta:
        # "Open now" over a whole department or the country: one range scan of the moment's weekday, with
        # everything the test needs in the index.
        indexes = [
            models.Index(fields=["weekday", "opens", "closes", "first_day", "last_day", "listing"], name="slot_open_at")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="opening_slot_opens_before_closes")
        ]
