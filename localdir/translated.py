"""Names stored in French with their English translation beside them.

The taxonomy (categories, delivery modes, the Mag's sections) is data edited in the admin, which gettext cannot
translate. Each such model keeps its French `name` (the reference: unique, searched, imported and exported) and an
optional `name_en`; `translated_name` and `str()` give the name in the active language, the French one when no
translation is written. Both live in the same row: translating costs no query.

Chosen over django-modeltranslation: two languages and three short fields do not need its per-language query and
ordering rewriting, which would change what `name` means for the search, the imports and the exports.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def translated(name, name_en):
    """`name_en` on English pages when written, else the French `name` (for names read without their model)."""
    if name_en and (get_language() or "").split("-")[0] == "en":
        return name_en
    return name


class TranslatedName(models.Model):
    name_en = models.CharField(
        _("name in English"),
        max_length=80,
        blank=True,
        help_text=_("Shown on the English pages. Left empty, they show the French name."),
    )

    class Meta:
        abstract = True

    @property
    def translated_name(self):
        return translated(self.name, self.name_en)

    def __str__(self):
        return self.translated_name
