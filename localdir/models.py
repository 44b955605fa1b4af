from django.db import models
from django.utils.translation import gettext_lazy as _


class CommandRun(models.Model):
    """When a daily command last succeeded (localdir.daily): one row per command."""

    command = models.CharField(_("command"), max_length=100, unique=True)
    succeeded_at = models.DateTimeField(_("last success"))

    class Meta:
        verbose_name = _("daily command run")
        verbose_name_plural = _("daily command runs")

    def __str__(self):
        return self.command
