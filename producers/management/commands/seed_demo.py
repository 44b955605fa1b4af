"""Create realistic demo listings in real communes: `manage.py seed_demo [--departments 49 33 07] [--count 300]`.

It must stay fast for 100,000 listings (`--all-france --count 100000`, used by bench/run.py), so rows are built in
memory and bulk-inserted in batches. bulk_create skips Listing.save(), so everything save() would do is done here:
unique slug, department and postal code from the commune, search document, published_at, opening slots.
"""

import contextlib
import datetime
import math
import random
import re
import time
from itertools import accumulate

import phonenumbers
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from phonenumber_field.phonenumber import PhoneNumber

from localdir.cache import invalidate_public_pages
from producers import counts, hours, search
from producers.attendances import MARKETS_MODE, market_weekdays
from producers.models import (
    Attendance,
    Category,
    Commune,
    DeliveryMode,
    Department,
    Listing,
    ListingDelivery,
    LocalCurrency,
    OpeningSlot,
)
from producers.models.distance import KM_PER_DEGREE
from producers.models.listing import slot_window

from . import _seed_demo_texts as texts

try:
    from faker import Faker
except ImportError:  # a development dependency: production installs requirements.txt, which has no demo data
    Faker = None

BATCH_SIZE = 2000
DEFAULT_DEPARTMENTS = ["49", "33", "07"]
JITTER_KM = 2.0
PENDING_SHARE = 0.02
# Producers selling on markets whose markets stay free text: what volunteers turn into links.
UNLINKED_SHARE = 0.25
# Tiny communes still get a listing now and then, as they do in real life (a farm, a potter).
POPULATION_FLOOR = 100
FREE_MAIL_DOMAINS = ["orange.fr", "gmail.com", "free.fr", "laposte.net", "wanadoo.fr", "sfr.fr", "outlook.fr"]

# Landline zone (the digit after 0) by INSEE region code; Occitanie is split between 04 and 05.
PHONE_ZONE_BY_REGION = {"11": "1", "24": "2", "28": "2", "52": "2", "53": "2", "27": "3", "32": "3", "44": "3"}
PHONE_ZONE_BY_REGION |= {"84": "4", "93": "4", "94": "4", "75": "5", "76": "4"}
PHONE_ZONE_05_IN_OCCITANIE = {"09", "12", "31", "32", "46", "65", "81", "82"}
MOBILE_PREFIXES = ["6", "6", "73", "75", "76", "77", "78"]
# Real area codes for a few departments, so the default demo looks right to local eyes (02 41 in Angers).
AREA_CODES = {"49": ["41"], "33": ["56", "57"], "07": ["75"], "44": ["40", "51"], "35": ["99"], "69": ["72", "78"]}
# Overseas departments have their own country codes: (country code, landline prefixes, mobile prefixes).
OVERSEAS_PHONES = {
    "971": ("590", ["590"], ["690", "691"]),
    "972": ("596", ["596"], ["696", "697"]),
    "973": ("594", ["594"], ["694"]),
    "974": ("262", ["262"], ["692", "693"]),
    "976": ("262", ["269"], ["639"]),
}
RURAL_ADDRESSES = [
    "{n} route de {lieu_name}",
    "lieu-dit {lieu_name}",
    "{n} rue de l'Église",
    "{n} place de la Mairie",
    "{n} chemin {lieu}",
    "{n} rue du Stade",
    "{n} impasse {lieu}",
]
MARKET_ADDRESSES = [
    "place du Marché",
    "place de l'Église",
    "place de la Mairie",
    "halles du centre",
    "place du Champ de Foire",
]


# "le marché de Le Mans" is "le marché du Mans": communes named with an article contract with de and à.
CONTRACTIONS = [(" de Le ", " du "), (" de Les ", " des "), (" à Le ", " au "), (" à Les ", " aux ")]
# "Le Fournil de Erdre-en-Anjou" is "Le Fournil d'Erdre-en-Anjou": "de" elides before a vowel (names starting
# with an h are left alone: many communes' h is aspirated, as in "de Hautefort").
ELISION = re.compile(r"(?<![\w'-])([Dd])e (?=[AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒaeiouyàâäéèêëîïôöùûüœ])")
# Communes this populated are cities: no cattle, goats or hens there.
CITY_POPULATION = 20_000


def contract(text):
    for long, short in CONTRACTIONS:
        if long in text:
            text = text.replace(long, short)
    return ELISION.sub(r"\1'", text)


def place_name(lieu):
    """The place itself from "du Grand Chêne", "de la Noue", "des Noyers": "Le Grand Chêne", "La Noue", "Les Noyers"."""
    for prefix, article in [("du ", "Le "), ("des ", "Les "), ("de la ", "La "), ("de l'", "L'"), ("de ", "")]:
        if lieu.startswith(prefix):
            return article + lieu.removeprefix(prefix)
    return lieu


@contextlib.contextmanager
def backdated_timestamps():
    """Let bulk_create keep the created_at/updated_at we set: a listing published two years ago was created then."""
    fields = [Listing._meta.get_field("created_at"), Listing._meta.get_field("updated_at")]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def insert_rows(model, fields, rows):
    """Insert plain tuples into `model`'s table: COPY on PostgreSQL, executemany elsewhere.

    For the rows that point at new listings (about ten opening slots each): building model instances for
    bulk_create took longer than creating the listings themselves.
    """
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


class Command(BaseCommand):
    help = "Create realistic demo listings (published, plus a few pending) in real communes of some departments."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--departments", nargs="+", metavar="CODE", help="Department codes (default: 49 33 07), split evenly."
        )
        where.add_argument(
            "--all-france", action="store_true", help="Spread over all departments, weighted by population."
        )
        parser.add_argument("--count", type=int, default=300, help="Total number of listings to create (default 300).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any listing already exists.")
        parser.add_argument("--seed", type=int, help="Seed the random generators for a reproducible result.")

    def handle(self, *args, departments=None, all_france=False, count=300, if_empty=False, seed=None, **options):
        if Faker is None:
            raise CommandError(
                "seed_demo makes demo data for development and needs Faker, a development dependency: "
                "pip install -r requirements-dev.txt"
            )
        if if_empty and Listing.objects.exists():
            self.stdout.write("Listings already exist: nothing to seed.")
            return
        if count < 1:
            raise CommandError("--count must be at least 1.")
        started = time.monotonic()
        self.rng = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed if seed is not None else self.rng.randrange(2**32))
        self._load_reference_data(None if all_france else (departments or DEFAULT_DEPARTMENTS))

        picks = self._pick_communes(count, all_france)
        created = 0
        for start in range(0, len(picks), BATCH_SIZE):
            created += self._create_batch(picks[start : start + BATCH_SIZE])
            if options["verbosity"] >= 2 or (options["verbosity"] == 1 and created % 20_000 == 0):
                self.stdout.write(f"  {created}/{count}…")
        links = self._seed_attendances()
        # bulk_create sends no signal: the stored counts and cached pages are brought up to date here.
        counts.recount_all()
        invalidate_public_pages()
        if connection.vendor == "postgresql":
            # Without fresh planner statistics (autovacuum may be late, or off), PostgreSQL plans the "open now"
            # subquery on opening slots as if the table were empty: seconds instead of milliseconds.
            tables = [Listing, Listing.categories.through, Listing.currencies.through, ListingDelivery, OpeningSlot]
            tables.append(Attendance)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables))
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {created} demo listings in {len(self.departments)} departments, {links} stands at their "
                f"markets ({elapsed:.1f} s)."
            )
        )

    # Reference data, read once.

    def _load_reference_data(self, codes):
        departments = Department.objects.select_related("region")
        if codes is not None:
            codes = [code.zfill(2) if code.isdigit() else code.upper() for code in codes]
            departments = departments.filter(code__in=codes)
            missing = sorted(set(codes) - {d.code for d in departments})
            if missing:
                raise CommandError(f"Unknown department(s) {', '.join(missing)}: run `manage.py load_places` first?")
        self.departments = {d.pk: d for d in departments}
        if not self.departments:
            raise CommandError("No departments: run `manage.py load_places` first.")
        self.communes_by_department = {pk: [] for pk in self.departments}
        communes = Commune.objects.filter(department__in=list(self.departments)).order_by("insee_code")
        for row in communes.values_list(
            "pk", "name", "postal_codes", "population", "latitude", "longitude", "department"
        ):
            self.communes_by_department[row[6]].append(row)
        self.commune_weights = {
            pk: list(accumulate(c[3] + POPULATION_FLOOR for c in communes))
            for pk, communes in self.communes_by_department.items()
        }
        empty = [self.departments[pk].code for pk, communes in self.communes_by_department.items() if not communes]
        if empty:
            raise CommandError(f"No communes in department(s) {', '.join(empty)}: run `manage.py load_places` first.")

        self.categories = dict(Category.objects.values_list("slug", "pk"))
        self.category_by_pk = {category.pk: category for category in Category.objects.all()}  # for search stems
        self.delivery_modes = dict(DeliveryMode.objects.values_list("code", "pk"))
        self.currencies_by_department = {}
        for currency_id, department_id in LocalCurrency.departments.through.objects.values_list(
            "localcurrency_id", "department_id"
        ).order_by("localcurrency_id", "department_id"):
            self.currencies_by_department.setdefault(department_id, []).append(currency_id)
        self.slugs = set(Listing.objects.values_list("slug", flat=True))
        self.slots_by_hours = {}
        self.slot_window = slot_window()
        self.valid_phone_prefixes = {}
        # Faker's street names, drawn once: calling it per listing cost more than all the rest of an address.
        self.streets = sorted({self.fake.street_name() for _ in range(3000)})

        # Only profiles whose main category exists; with an unfamiliar taxonomy, any profile with random categories.
        self.profiles = [p for p in texts.PROFILES if p["categories"][0] in self.categories] or texts.PROFILES
        self.profile_weights = list(accumulate(p["weight"] for p in self.profiles))
        self.city_profiles = [p for p in self.profiles if not p.get("livestock")] or self.profiles
        self.city_profile_weights = list(accumulate(p["weight"] for p in self.city_profiles))
        self.now = timezone.now()
        # Producers of this run who sell on markets: (pk, department, latitude, longitude); linked at the end.
        self.market_goers = []

    def _pick_communes(self, count, all_france):
        """Communes for `count` listings, weighted by population: evenly split per department unless all France."""
        if all_france:
            communes = [c for department in self.communes_by_department.values() for c in department]
            return self.rng.choices(
                communes, cum_weights=list(accumulate(c[3] + POPULATION_FLOOR for c in communes)), k=count
            )
        picks = []
        share, extra = divmod(count, len(self.departments))
        for i, pk in enumerate(sorted(self.departments, key=lambda pk: self.departments[pk].code)):
            k = share + (1 if i < extra else 0)
            picks += self.rng.choices(self.communes_by_department[pk], cum_weights=self.commune_weights[pk], k=k)
        return picks

    # One batch: listings, then the rows that point at them, in one transaction.

    def _create_batch(self, communes):
        built = [self._build_listing(commune) for commune in communes]
        with transaction.atomic():
            with backdated_timestamps():
                listings = Listing.objects.bulk_create([b[0] for b in built])
            categories, currencies, deliveries, slots = [], [], [], []
            for listing, (_, category_ids, currency_ids, delivery_list) in zip(listings, built, strict=True):
                pk = listing.pk
                if listing.status == Listing.Status.PUBLISHED and any(
                    mode_id == self.delivery_modes.get(MARKETS_MODE) for mode_id, _details in delivery_list
                ):
                    self.market_goers.append((pk, listing.department_id, listing.latitude, listing.longitude))
                categories += [(pk, category_id) for category_id in category_ids]
                currencies += [(pk, currency_id) for currency_id in currency_ids]
                deliveries += [(pk, mode_id, details) for mode_id, details in delivery_list]
                slots += [(pk, *slot) for slot in self._slots(listing.opening_hours)]
            insert_rows(Listing.categories.through, ["listing", "category"], categories)
            insert_rows(Listing.currencies.through, ["listing", "localcurrency"], currencies)
            insert_rows(ListingDelivery, ["listing", "mode", "details"], deliveries)
            insert_rows(OpeningSlot, ["listing", "weekday", "first_day", "last_day", "opens", "closes"], slots)
        return len(listings)

    def _slots(self, expression):
        if expression not in self.slots_by_hours:
            self.slots_by_hours[expression] = hours.dated_slots(expression, *self.slot_window)
        return self.slots_by_hours[expression]

    def _build_listing(self, commune):
        rng = self.rng
        commune_id, commune_name, postal_codes, population, latitude, longitude, department_id = commune
        latitude, longitude = self._near(latitude, longitude)
        department = self.departments[department_id]
        if population >= CITY_POPULATION:
            profile = rng.choices(self.city_profiles, cum_weights=self.city_profile_weights)[0]
        else:
            profile = rng.choices(self.profiles, cum_weights=self.profile_weights)[0]
        kind = rng.choices([k for k, _ in profile["kinds"]], weights=[w for _, w in profile["kinds"]])[0]

        female = rng.random() < 0.5
        lieu = self._lieu()
        context = {
            "commune": commune_name,
            "lieu": lieu,
            "first_name": self.fake.first_name_female() if female else self.fake.first_name_male(),
            "last_name": self.fake.last_name(),
            "partner": self.fake.first_name(),
            "e": "e" if female else "",
            "year": rng.randint(1985, 2023),
            "ha": rng.randint(2, 60),
            "n": rng.randint(4, 12),
            "count": rng.randint(25, 90),
            "km": rng.choice([10, 15, 20, 30, 50]),
            "market_commune": self._market_commune(department_id),
        }
        market_type, opening_hours = "", rng.choice(texts.HOURS[profile["hours"]])
        names, shorts = profile["names"], profile["short"]
        if kind == Listing.Kind.MARKET:
            market_type, market_names, market_shorts, opening_hours = self._market_type(opening_hours)
            names, shorts = market_names or names, market_shorts or shorts
        name = contract(rng.choice(names).format(**context))[:150]
        short = contract(rng.choice(shorts).format(**context))[:200]
        closing = texts.CLOSING_CRAFT if profile["craftsman"] else texts.CLOSING_FOOD
        paragraphs = [
            " ".join([rng.choice(profile["intro"]), rng.choice(profile["craft"])]),
            " ".join(s for s in [rng.choice(profile["products"]), rng.choice(closing)] if s),
        ]
        if rng.random() < texts.PRACTICAL_SHARE:
            paragraphs.append(rng.choice(texts.PRACTICAL))
        if market_type in texts.MARKET_TYPES:
            _share, _names, _shorts, firsts, rest, _hours = texts.MARKET_TYPES[market_type]
            paragraphs = [f"{rng.choice(firsts)} {rest}"]
        description = "\n\n".join(paragraphs).format(**context)
        description = contract(description)

        published = rng.random() >= PENDING_SHARE
        published_at = self.now - datetime.timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60)) if published else None
        links = self._links(name, context, profile["craftsman"])
        listing = Listing(
            name=name,
            slug=self._unique_slug(name, commune_name),
            kind=kind,
            short_description=short,
            description=description,
            street_address=self._street_address(kind, population, lieu),
            commune_id=commune_id,
            postal_code=postal_codes.split()[0] if postal_codes else "",
            department_id=department_id,
            latitude=latitude,
            longitude=longitude,
            phone=self._phone(department) if rng.random() < 0.9 else "",
            market_type=market_type,
            opening_hours=opening_hours,
            status=Listing.Status.PUBLISHED if published else Listing.Status.PENDING,
            published_at=published_at,
            # What Listing.save() sets on publication (bulk_create skips save): the yearly confirmation counts from it.
            confirmed_at=published_at,
            # Its last public change, for the feeds and alerts of new listings (also set by save()).
            changed_at=published_at,
            created_at=published_at or self.now,
            updated_at=published_at or self.now,
            **links,
        )
        categories = self._categories(profile)
        listing.search_title, listing.search_body = search.listing_document(
            listing, [self.category_by_pk[pk] for pk in categories]
        )
        return (
            listing,
            categories,
            self._currencies(department_id),
            self._deliveries(profile, kind, context),
        )

    # Who sells at which market.

    def _seed_attendances(self):
        """Most producers of this run who sell on markets get a stand at one or two published markets of their
        department, near them; their free-text details are then cleared. The others keep their words, which the
        volunteers' market suggestions read. Returns the number of links."""
        rng = self.rng
        markets_by_department = {}
        for pk, department_id, latitude, longitude, expression, market_type in (
            Listing.objects.published()
            .filter(kind=Listing.Kind.MARKET, department__in=list(self.departments))
            .order_by("pk")
            .values_list("pk", "department_id", "latitude", "longitude", "opening_hours", "market_type")
        ):
            weekdays = market_weekdays(expression)
            markets_by_department.setdefault(department_id, []).append((pk, latitude, longitude, weekdays, market_type))
        rows, linked = [], []
        for producer, department_id, latitude, longitude in self.market_goers:
            markets = markets_by_department.get(department_id)
            if not markets or rng.random() < UNLINKED_SHARE:
                continue
            sample = rng.sample(markets, k=min(len(markets), 8))
            sample.sort(key=lambda m: (m[1] - latitude) ** 2 + ((m[2] - longitude) * 0.7) ** 2)
            for market, _lat, _lon, weekdays, market_type in sample[: 1 if rng.random() < 0.7 else 2]:
                rows.append((producer, market, self._stand_days(weekdays, market_type), self.now))
            linked.append(producer)
        insert_rows(Attendance, ["producer", "market", "schedule", "created_at"], rows)
        mode_id = self.delivery_modes.get(MARKETS_MODE)
        for start in range(0, len(linked), BATCH_SIZE):
            ListingDelivery.objects.filter(listing_id__in=linked[start : start + BATCH_SIZE], mode_id=mode_id).update(
                details=""
            )
        return len(rows)

    def _stand_days(self, weekdays, market_type):
        """Every market day mostly; some producers come every other week or in season only."""
        roll = self.rng.random()
        if market_type == Listing.MarketType.FAIR or not weekdays or roll < 0.65:
            return ""
        if roll < 0.85:
            codes = [hours.calendar.DAY_CODES[day] for day in weekdays]
            return hours.calendar.days_with_weeks(codes, self.rng.choice([[1, 3], [2, 4]]))
        return "Apr-Oct"

    # Pieces of a listing.

    def _market_type(self, weekly_hours):
        """(market type, names, short descriptions, hours) of a listing of the market profile."""
        roll = self.rng.random()
        for market_type, (share, names, shorts, _firsts, _description, hours_list) in texts.MARKET_TYPES.items():
            if roll < share:
                # A fair in the coming December: its dates are still ahead on the demo site.
                today = timezone.localdate()
                year = today.year if today < datetime.date(today.year, 12, 5) else today.year + 1
                return market_type, names, shorts, self.rng.choice(hours_list).format(year=year)
            roll -= share
        return Listing.MarketType.WEEKLY, None, None, weekly_hours

    def _lieu(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.35:
            return f"du {rng.choice(texts.ADJECTIVES_MASCULINE)} {rng.choice(texts.LIEUX_MASCULINE)}"
        if roll < 0.55:
            return f"du {rng.choice(texts.LIEUX_MASCULINE)}"
        if roll < 0.75:
            return f"de la {rng.choice(texts.ADJECTIVES_FEMININE)} {rng.choice(texts.LIEUX_FEMININE)}"
        if roll < 0.85:
            return f"de la {rng.choice(texts.LIEUX_FEMININE)}"
        return rng.choice(texts.LIEUX_PLURAL if roll < 0.95 else texts.LIEUX_NAMED)

    def _market_commune(self, department_id):
        communes = self.communes_by_department[department_id]
        return self.rng.choices(communes, cum_weights=self.commune_weights[department_id])[0][1]

    def _near(self, latitude, longitude):
        """A point uniformly distributed within JITTER_KM of the commune's point."""
        radius = JITTER_KM * math.sqrt(self.rng.random())
        angle = self.rng.random() * 2 * math.pi
        dlat = radius * math.cos(angle) / KM_PER_DEGREE
        dlon = radius * math.sin(angle) / (KM_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
        return round(latitude + dlat, 6), round(longitude + dlon, 6)

    def _unique_slug(self, name, commune_name):
        base = slugify(f"{name} {commune_name}")[:150] or "activite"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def _street_address(self, kind, population, lieu):
        rng = self.rng
        if kind == Listing.Kind.MARKET:
            return rng.choice(MARKET_ADDRESSES)
        if population < 3000 and rng.random() < 0.6:
            address = rng.choice(RURAL_ADDRESSES)
            return contract(address.format(n=rng.randint(1, 40), lieu=lieu, lieu_name=place_name(lieu)))
        return f"{rng.randint(1, 120)} {rng.choice(self.streets)}"

    def _phone(self, department):
        """A valid number: a landline of the department's zone, or a mobile (built, not parsed: parsing is slow)."""
        rng = self.rng
        for _ in range(20):
            if department.code in OVERSEAS_PHONES:
                country, landlines, mobiles = OVERSEAS_PHONES[department.code]
                national = f"{rng.choice(mobiles if rng.random() < 0.5 else landlines)}{rng.randrange(10**6):06d}"
            elif rng.random() < 0.45:
                country, national = "33", f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"[:9]
            else:
                zone = PHONE_ZONE_BY_REGION.get(department.region.code, "2")
                if department.code in PHONE_ZONE_05_IN_OCCITANIE:
                    zone = "5"
                area = rng.choice(AREA_CODES.get(department.code) or [f"{rng.randint(10, 99)}"])
                country, national = "33", f"{zone}{area}{rng.randrange(10**6):06d}"
            number = PhoneNumber(country_code=int(country), national_number=int(national))
            # Numbering plans are decided by the first digits: one check per prefix keeps 100,000 numbers cheap.
            prefix = (country, national[:5])
            if prefix not in self.valid_phone_prefixes:
                self.valid_phone_prefixes[prefix] = phonenumbers.is_valid_number(number)
            if self.valid_phone_prefixes[prefix]:
                return number
        return PhoneNumber(country_code=33, national_number=612000000 + rng.randrange(10**6))

    def _links(self, name, context, craftsman):
        rng = self.rng
        handle = slugify(name.replace("Œ", "Oe").replace("œ", "oe"))[:40].strip("-") or "contact"
        domain = f"{handle}.fr"
        website = f"https://www.{domain}/" if rng.random() < 0.35 else ""
        if website and rng.random() < 0.8:
            email = f"{rng.choice(['contact', 'bonjour', 'commandes'])}@{domain}"
        elif rng.random() < 0.75:
            person = slugify(f"{context['first_name']}.{context['last_name']}").replace("-", ".")
            email = f"{rng.choice([person, handle.replace('-', '')])}@{rng.choice(FREE_MAIL_DOMAINS)}"
        else:
            email = ""
        other = ""
        if rng.random() < 0.05:
            other = (
                f"https://www.etsy.com/fr/shop/{handle.replace('-', '')}" if craftsman else f"https://{domain}/boutique"
            )
        return {
            "email": email,
            # Shops with a website show their address; half the others keep theirs for the volunteers.
            "email_public": bool(email) and (bool(website) or rng.random() < 0.5),
            "website": website,
            "facebook_url": f"https://www.facebook.com/{handle.replace('-', '')}" if rng.random() < 0.35 else "",
            "instagram_url": (
                f"https://www.instagram.com/{handle.replace('-', '_')}/"
                if rng.random() < (0.6 if craftsman else 0.2)
                else ""
            ),
            "other_links": other,
        }

    def _categories(self, profile):
        rng = self.rng
        if profile["categories"][0] not in self.categories:
            return rng.sample(sorted(self.categories.values()), k=min(len(self.categories), rng.randint(1, 3)))
        main = self.categories[profile["categories"][0]]
        extra = [self.categories[s] for s in profile["extra"] if s in self.categories]
        return [main, *rng.sample(extra, k=min(len(extra), rng.choice([0, 0, 1, 1, 2])))]

    def _currencies(self, department_id):
        currencies = self.currencies_by_department.get(department_id)
        if currencies and self.rng.random() < 0.3:
            return [self.rng.choice(currencies)]
        return []

    def _deliveries(self, profile, kind, context):
        rng = self.rng
        chosen = [code for code, share in profile["delivery"].items() if rng.random() < share]
        if not chosen:
            chosen = [next(iter(profile["delivery"]))]
        deliveries = []
        for code in chosen:
            if code not in self.delivery_modes:
                continue
            if code == "on-site":
                details = rng.choice(
                    {"producer": ["à la ferme", "", ""], "artisan": ["à l'atelier", ""]}.get(kind, [""])
                )
            else:
                details = contract(rng.choice(texts.DELIVERY_DETAILS[code]).format(**context))
            deliveries.append((self.delivery_modes[code], details))
        return deliveries
