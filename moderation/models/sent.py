"""Forms already stored: a registration page sent again, an edit page opened before another tab's save."""

import hashlib
import secrets
from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from producers.models import Listing

FORM_TOKEN_SALT = "moderation.form-token"
# As long as the spam timer accepts a form (moderation.forms.SpamTrapsMixin): a day.
FORM_TOKEN_MAX_AGE = 86400


class AlreadySent(Exception):
    """This registration form was stored already (a double click, or the browser sending it again)."""


class SentForm(models.Model):
    """A registration form already stored, by its one-time token and what it said: a double click or a browser sending
    the page again finds it here and gets the success page instead of a second listing. The same page sent again
    with other content (Back, then a second farm) is a new registration."""

    # Fields that change between two sends of the same content, or that say nothing about it.
    NOT_CONTENT = {"csrfmiddlewaretoken", "once", "started"}

    nonce = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("registration form sent")
        verbose_name_plural = _("registration forms sent")
        constraints = [models.UniqueConstraint(fields=["nonce", "digest"], name="sent_form_once_per_content")]

    @classmethod
    def new_token(cls):
        """The signed value a registration page carries in its hidden "once" field."""
        return signing.TimestampSigner(salt=FORM_TOKEN_SALT).sign(secrets.token_urlsafe(24))

    @classmethod
    def digest_of(cls, data, files):
        """A hash of what a sent form says (its fields and the names and sizes of its files)."""
        content = [(key, data.getlist(key)) for key in sorted(data) if key not in cls.NOT_CONTENT]
        content += [(key, [(f.name, f.size) for f in files.getlist(key)]) for key in sorted(files)]
        return hashlib.sha256(repr(content).encode()).hexdigest()

    @classmethod
    def token_for_page(cls, signed):
        """The token a registration page shown again carries: the one it was sent with while it protects anything, a
        new one once it has expired (a page left open for a day), which consume() would not record."""
        return signed if cls._nonce(signed) is not None else cls.new_token()

    @staticmethod
    def _nonce(signed):
        try:
            return signing.TimestampSigner(salt=FORM_TOKEN_SALT).unsign(signed or "", max_age=FORM_TOKEN_MAX_AGE)
        except signing.BadSignature:
            return None

    @classmethod
    def was_sent(cls, signed, digest):
        """True if this page was stored already with this content: answered before any work is done on the form."""
        nonce = cls._nonce(signed)
        return nonce is not None and cls.objects.filter(nonce=nonce, digest=digest).exists()

    @classmethod
    def consume(cls, signed, digest):
        """Record a sent form inside the caller's transaction; AlreadySent if its token was used already with the
        same content. On PostgreSQL a second request with the same token and content waits on the unique key until
        the first commits. A missing, altered or expired token (more than FORM_TOKEN_MAX_AGE old) consumes nothing:
        the form is stored anyway."""
        nonce = cls._nonce(signed)
        if nonce is None:
            return
        try:
            with transaction.atomic():
                cls.objects.create(nonce=nonce, digest=digest)
        except IntegrityError:
            raise AlreadySent from None
        # Past their age the tokens are refused anyway: no need to keep their rows.
        cls.objects.filter(created_at__lt=timezone.now() - timedelta(seconds=FORM_TOKEN_MAX_AGE)).delete()


class ProducerEdits(models.Model):
    """How many edits the producer saved through their private link, counted in the transaction that stores each
    one. The edit page carries the count (moderation.versions): a page opened before another tab's save is told,
    whatever that save changed, its markets or stands too, which volunteers and organisers also change."""

    listing = models.OneToOneField(
        Listing, on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name=_("listing")
    )
    count = models.PositiveIntegerField(_("edits saved"), default=0)
    # moderation.versions.sent_form() of the form the last edit was saved from: the same form sent again (a double
    # click, the browser sending the page again) is answered "saved" instead of "changed in another tab".
    last_sent = models.CharField(_("last form saved"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("producer's edits")
        verbose_name_plural = _("producers' edits")

    def __str__(self):
        return str(self.count)
