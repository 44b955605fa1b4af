"""The directory's taxonomy: categories and local currencies are data, edited in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from localdir.translated import TranslatedName

from .places import Department


class Category(TranslatedName):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class LocalCurrency(models.Model):
    """A French complementary local currency (monnaie locale complémentaire) and the area where it circulates."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)
    departments = models.ManyToManyField(
        Department, related_name="local_currencies", blank=True, verbose_name=_("departments where it circulates")
    )
    area = models.CharField(
        _("area"), max_length=200, blank=True, help_text=_("Plain description, e.g. “Angers and Maine-et-Loire”.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("local currency")
        verbose_name_plural = _("local currencies")

    def __str__(self):
        return self.name
