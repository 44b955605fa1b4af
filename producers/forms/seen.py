"""A change form sent from a page older than someone else's save: refused field by field rather than undoing it.

Django's admin saves every field of its form, changed or not: two volunteers on the same listing, or a volunteer
whose page was opened before a producer's edit was approved, silently put back the values their page was built
with. The page now carries a fingerprint of each field's stored value (`seen`); on sending, the fields whose stored
value moved since are told, next to each, with what they now hold, and nothing is saved. The page shown then carries
the new fingerprints, so sending it again saves what the volunteer sees, knowingly.
"""

import hashlib
import json
from decimal import Decimal

from django import forms
from django.db import connections, router
from django.forms.models import model_to_dict
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from producers import hours


def _fingerprint(value):
    if isinstance(value, list | tuple):  # many-to-many: the objects, in no particular order
        value = sorted(str(getattr(item, "pk", item)) for item in value)
    elif hasattr(value, "pk"):
        value = value.pk
    text = json.dumps(value, default=str, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _shown(instance, name, value):
    """The stored value as the volunteer reads it: a town's or a category's name, a choice's label, yes or no, a number
    and opening hours as the site writes them in the page's language."""
    field = instance._meta.get_field(name)
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    elif field.many_to_one:
        value = getattr(instance, name)
    elif field.choices:
        value = getattr(instance, f"get_{name}_display")()
    elif isinstance(value, bool):
        value = _("Yes") if value else _("No")
    elif isinstance(value, int | float | Decimal):
        value = formats.localize(value)  # 47,5 on a French page
    elif value and hours.validate_opening_hours in field.validators:
        value = "; ".join(hours.describe_lines(value)) or value
    return str(value) if value not in (None, "") else _("(empty)")


class SeenField(forms.CharField):
    """Never a change of the object: the admin's history and what dates a public change read changed_data."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class SeenVersionModelForm(forms.ModelForm):
    """For a model whose rows others may change while the form is open; the row is locked from the check to the save
    (the admin's change view runs in one transaction) against another save of it, not against rows referencing it. An
    admin with fieldsets lists "seen" in one of them."""

    seen = SeenField(required=False)

    changed_meanwhile_message = _(
        "Changed while you were editing (another volunteer, or an approved edit); it now reads “%(value)s”. Nothing "
        "was saved: check this box, then save again to keep what it holds."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["seen"].initial = json.dumps(self._fingerprints(self.instance))

    def _stored(self, instance):
        names = [name for name in self.fields if name != "seen"]
        return model_to_dict(instance, fields=names)

    def _fingerprints(self, instance):
        return {name: _fingerprint(value) for name, value in self._stored(instance).items()}

    def clean(self):
        cleaned = super().clean()
        try:
            seen = json.loads(self.data.get(self.add_prefix("seen")) or "null")
        except ValueError:
            seen = None
        if self.instance.pk is None or not isinstance(seen, dict):
            return cleaned  # a page without fingerprints (or a new object): nothing to compare
        # FOR NO KEY UPDATE where the database has it (PostgreSQL; SQLite takes no row lock): it orders two saves of
        # the row as FOR UPDATE does, but lets other transactions insert rows referencing it (a market's stands, a
        # delivery, a revision), which FOR UPDATE makes wait, and two admin saves adding each other's stand deadlock.
        manager = type(self.instance)._default_manager
        database = connections[router.db_for_write(manager.model, instance=self.instance)]
        locked = manager.using(database.alias).select_for_update(no_key=database.features.has_select_for_no_key_update)
        current = locked.get(pk=self.instance.pk)
        # The admin read its instance before this lock and saves every column: the columns the form does not show
        # (status, publication dates…) are taken as they are now, or a change committed in between would be undone.
        for field in current._meta.concrete_fields:
            if field.name not in self.fields and not field.primary_key:
                setattr(self.instance, field.attname, getattr(current, field.attname))
        stored = self._stored(current)
        now = {name: _fingerprint(value) for name, value in stored.items()}
        # A field now holding what is sent is no conflict: the same page sent twice (a double click, the browser
        # sending again) or two volunteers making the same correction save, changing nothing.
        moved = [
            name
            for name, print_ in now.items()
            if name in seen and seen[name] != print_ and self.fields[name].has_changed(stored[name], self[name].data)
        ]
        for name in moved:
            self.add_error(name, self.changed_meanwhile_message % {"value": _shown(current, name, stored[name])})
        if moved:
            # The page shown next is the one to save from: it carries what is stored now.
            self.data = self.data.copy()
            self.data[self.add_prefix("seen")] = json.dumps(now)
        return cleaned
