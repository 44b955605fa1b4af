"""French administrative places: regions, departments, communes and localities (reference data).

Loaded by `manage.py load_places` from producers/data/places/, derived from INSEE / La Poste data.
"""

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from localdir.reversing import reverse_with_slug
from localdir.text import fold


class Region(models.Model):
    code = models.CharField(_("INSEE code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("region"))
    # Published listings here, kept by producers.counts when one is published, withdrawn or moved: the home page
    # shows them without counting 100,000 listings.
    listing_count = models.PositiveIntegerField(_("published listings"), default=0, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_with_slug("producers:department", self.slug, code=self.code)


class CommuneQuerySet(models.QuerySet):
    def search(self, query):
        """Communes whose name or postal code starts with the query, ignoring accents, case and punctuation."""
        query = (query or "").strip()
        if not query:
            return self.none()
        if query.isdigit():
            return self.filter(postal_codes__contains=query).filter(
                models.Q(postal_codes__startswith=query) | models.Q(postal_codes__contains=" " + query)
            )
        folded = fold(query)
        if not folded:
            return self.none()
        return self.filter(search_name__startswith=folded)


class Commune(models.Model):
    insee_code = models.CharField(_("INSEE code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    # Folded name (see localdir.text.fold) for accent- and case-insensitive look-ups on every backend.
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name=_("department")
    )
    # Space-separated: most communes have one postal code, some several, big cities many.
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    # Published listings in this commune (see Department.listing_count).
    listing_count = models.PositiveIntegerField(_("published listings"), default=0, editable=False)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return f"{self.name} ({self.department_id and self.department.code})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    @property
    def postal_code_list(self):
        return self.postal_codes.split()

    @property
    def main_postal_code(self):
        codes = self.postal_code_list
        return codes[0] if codes else ""

    def get_absolute_url(self):
        return reverse("producers:commune", kwargs={"insee_code": self.insee_code, "slug": self.slug})


class Locality(models.Model):
    """A place inside a commune that people still name: a former commune merged into a new one (delegated or
    associated) or a municipal arrondissement of Paris, Lyon or Marseille. Looking it up leads to its commune, around
    the locality's own point."""

    class Kind(models.TextChoices):
        DELEGATED = "delegated", _("delegated commune")
        ASSOCIATED = "associated", _("associated commune")
        ARRONDISSEMENT = "arrondissement", _("municipal arrondissement")

    insee_code = models.CharField(_("INSEE code"), max_length=5)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="localities", verbose_name=_("commune"))
    # Only arrondissements have postal codes of their own; former communes share their commune's.
    postal_codes = models.CharField(_("postal codes"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), default=0)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["kind", "insee_code"], name="unique_locality_per_kind")]
        verbose_name = _("locality")
        verbose_name_plural = _("localities")

    def __str__(self):
        return f"{self.name} ({self.commune.name})"

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def postal_code_list(self):
        return self.postal_codes.split()
