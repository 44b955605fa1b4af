"""What every public form shares: typed text cleaned of control characters, and an error summary at the top.

The error summary follows the GOV.UK design system: one link per message, to the input that needs a correction.
"""

from django import forms
from django.forms.forms import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from .text import clean_text


def _labelled(label, message):
    return _("%(label)s: %(message)s") % {"label": label, "message": message} if label else message


class CleanTextMixin:
    """Every text a form reads goes through localdir.text.clean_text, before validation and before being shown
    back; line breaks survive only in <textarea>s."""

    def _widget_data_value(self, widget, html_name):
        value = super()._widget_data_value(widget, html_name)
        multiline = isinstance(widget, forms.Textarea)
        if isinstance(value, str):
            return clean_text(value, multiline)
        if isinstance(value, list | tuple):
            return [clean_text(item, multiline) if isinstance(item, str) else item for item in value]
        return value


class ErrorSummaryMixin:
    """`error_summary()`: [(anchor id or "", message)] for the box at the top of a form."""

    # Errors of hidden inputs are shown, and linked, at the visible field that sets them.
    error_fields = {}
    # Fields whose messages do not say which field they are about ("This file is not an image"): the summary names
    # the field before them.
    labelled_in_summary = ()

    def error_anchor(self, bound_field):
        widget = bound_field.field.widget
        if getattr(widget, "allow_multiple_selected", False) or isinstance(widget, forms.RadioSelect):
            return f"{bound_field.auto_id}_0"
        if bound_field.use_fieldset:
            return f"{bound_field.auto_id}_group"
        return bound_field.id_for_label or bound_field.auto_id

    def _post_clean(self):
        super()._post_clean()
        for hidden, visible in self.error_fields.items():
            if hidden in self._errors and visible in self.fields:
                errors = self._errors.pop(hidden)
                self._errors.setdefault(visible, self.error_class(renderer=self.renderer)).extend(errors)

    def error_summary(self):
        items = [("", error) for error in self.errors.get(NON_FIELD_ERRORS, [])]
        for name in self.fields:
            if name in self.errors:
                # A field made of several inputs may link each of its messages to the input it is about.
                own = getattr(self.fields[name], "error_summary", None)
                if own is not None and (found := own(self[name])):
                    items.extend(found)
                    continue
                anchor = self.error_anchor(self[name])
                label = self[name].label if name in self.labelled_in_summary else None
                items.extend((anchor, _labelled(label, error)) for error in self.errors[name])
        return items
