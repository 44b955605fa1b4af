"""Moderation: what producers propose, the private links they use, shoppers' error reports and the decisions log.

A NEW listing is a producers.Listing with status "pending": it is never public since every public page uses
`.published()`. An EDIT of a published listing is a Revision: the live listing stays as it is until a volunteer
approves it. Every decision is written to Decision, which nobody edits or deletes.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from producers.models import Listing
from producers.models.listing import Photo, renumber_photos

from .revisions import apply_values

EDIT_LINK_SALT = "moderation.edit-link"
FORM_TOKEN_SALT = "moderation.form-token"
# As long as the spam timer accepts a form (moderation.forms.SpamTrapsMixin): a day.
FORM_TOKEN_MAX_AGE = 86400


class AlreadyDecided(Exception):
    """Another volunteer decided first: nothing was changed."""


class AlreadySent(Exception):
    """This registration form was stored already (a double click, or the browser sending it again)."""


class ChangedSinceReview(AlreadyDecided):
    """The producer edited the listing after the volunteer opened it: nothing was changed."""


class AwaitingChanges(AlreadyDecided):
    """A volunteer asked the producer for changes and the producer has not sent them yet: nothing was changed."""


def _after_lock(obj):
    """Called once a row is locked for a decision; the concurrency test hooks in here to hold the lock."""


def _record(by, obj, action, reason=""):
    return Decision.objects.create(
        moderator=by,
        moderator_name=by.get_username() if by else "",
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        action=action,
        reason=reason,
    )


def _awaiting_changes(listing):
    latest = (
        Decision.objects.filter(content_type=ContentType.objects.get_for_model(Listing), object_id=listing.pk)
        .only("action", "created_at")
        .first()
    )
    return (
        listing.status == Listing.Status.PENDING
        and latest is not None
        and latest.action == Decision.Action.REQUEST_CHANGES
        and latest.created_at >= listing.updated_at
    )


def listing_version(listing):
    """What the review page shows the volunteer, as a token: a producer's edit changes it, and so does another
    volunteer's decision that leaves the status as it was (asking for changes, confirming)."""
    latest = Decision.objects.filter(content_type=ContentType.objects.get_for_model(Listing), object_id=listing.pk)
    return f"{listing.updated_at.isoformat()}/{latest.values_list('pk', flat=True).first() or 0}"


# Which listing statuses each decision starts from, and the one it leads to. Nothing else changes a listing's status
# in the admin: the Listing admin shows it read-only, so every publication and withdrawal is in the log.
LISTING_TRANSITIONS = {
    "approve": (("pending",), "published"),
    "reject": (("pending",), "rejected"),
    "request_changes": (("pending",), "pending"),
    "withdraw": (("published", "unconfirmed"), "unpublished"),
    "republish": (("unpublished",), "published"),
    # Still right (a volunteer phoned the producer): a listing hidden for want of confirmation comes back as it was.
    "confirm": (("published", "unconfirmed"), "published"),
}


def listing_actions(listing):
    """The decisions a volunteer may take on the listing as it is now."""
    actions = [action for action, (before, _after) in LISTING_TRANSITIONS.items() if listing.status in before]
    if "republish" in actions and not _withdrawn_by_volunteer(listing):
        # An erased listing is unpublished too, at its producer's request: only they may bring it back.
        actions.remove("republish")
    return actions


def _withdrawn_by_volunteer(listing):
    latest = (
        Decision.objects.filter(content_type=ContentType.objects.get_for_model(Listing), object_id=listing.pk)
        .values_list("action", flat=True)
        .first()
    )
    return latest == Decision.Action.WITHDRAW


def record_erasure(listing):
    """Log the producer's erasure: after it, the latest decision is no longer a withdrawal a volunteer may undo."""
    return _record(None, listing, Decision.Action.ERASE)


def record_hiding(listing):
    """Log that the daily command hid a listing nobody confirmed (no volunteer)."""
    return _record(None, listing, Decision.Action.HIDE)


def decide_listing(listing_pk, action, by, reason="", seen=None, unless_awaiting_changes=False):
    """Decide on a listing: approve, reject or ask changes while pending; withdraw a published one; re-publish a
    withdrawn one. Raises AlreadyDecided if the listing is no longer in the state the decision starts from.

    The row is locked (select_for_update) and its status read again inside the transaction, so two volunteers
    deciding at once cannot both apply a decision: the second one waits for the first, then sees it.
    `unless_awaiting_changes` (approving several at once, without reading each one): raises AwaitingChanges for a
    listing whose producer was asked for changes and has not edited it since.
    """
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing_pk)
        _after_lock(listing)
        if action not in listing_actions(listing):
            raise AlreadyDecided
        if unless_awaiting_changes and _awaiting_changes(listing):
            raise AwaitingChanges
        if seen is not None and (version := listing_version(listing)) != seen:
            # The producer's edit, or a decision taken since the page was opened (two volunteers asking for changes
            # at once, or one asking while the other approves, would send the producer contradictory emails).
            if version.split("/")[-1] != seen.split("/")[-1]:
                raise AlreadyDecided
            raise ChangedSinceReview
        after = LISTING_TRANSITIONS[action][1]
        if after == Listing.Status.PUBLISHED:
            # A volunteer has just checked it: the yearly confirmation counts from now.
            listing.confirmed_at = timezone.now()
        if action == "republish":
            # Public again: news for those who follow its area (alerts); a first publication is dated by save().
            listing.changed_at = timezone.now()
        if after != listing.status or after == Listing.Status.PUBLISHED:
            listing.status = after
            # save() sets published_at on publication and keeps the search and hours tables in step.
            listing.save()
        _record(by, listing, action, reason)
        if action == "confirm":
            # The volunteer checked: shoppers' "closed for good" reports on it were wrong.
            for report in listing.error_reports.open().filter(kind=ErrorReport.Kind.CLOSED):
                report.decide(Decision.Action.DISMISS, by, reason)
    return listing


def confirm_by_producer(listing_pk):
    """The producer's "Yes, nothing changed" through their private link: the listing is confirmed now and, if it was
    hidden for want of confirmation, public again without review, since nothing in it changed. Logged with no
    volunteer. Returns the listing; raises AlreadyDecided if it is neither published nor awaiting confirmation."""
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=listing_pk)
        if listing.status not in LISTING_TRANSITIONS["confirm"][0]:
            raise AlreadyDecided
        listing.status = Listing.Status.PUBLISHED
        listing.confirmed_at = timezone.now()
        listing.save(update_fields=["status", "confirmed_at"])
        _record(None, listing, Decision.Action.CONFIRM, _("Confirmed by the producer through their private link."))
    return listing


class RevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Revision.Status.PENDING)


class Revision(models.Model):
    """A proposed edit of a published listing, applied only when a volunteer approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("listing"))
    # The submission form's cleaned values: plain fields, commune id, m2m ids, [[mode id, details]], hours string,
    # and "remove_photos": ids of the listing's photos to delete.
    data = models.JSONField(_("proposed values"), default=dict)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    message = models.TextField(_("message from the volunteer"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self):
        return _("Edit of %(listing)s") % {"listing": self.listing}

    def decide(self, action, by, reason=""):
        """Apply (approve) or close the revision. Raises AlreadyDecided if it is no longer pending."""
        statuses = {
            Decision.Action.APPROVE: self.Status.APPROVED,
            Decision.Action.REJECT: self.Status.REJECTED,
            Decision.Action.REQUEST_CHANGES: self.Status.CHANGES_REQUESTED,
        }
        with transaction.atomic():
            revision = Revision.objects.select_for_update().get(pk=self.pk)
            _after_lock(revision)
            if revision.status != self.Status.PENDING:
                raise AlreadyDecided
            if action == Decision.Action.APPROVE:
                revision.apply()
            revision.status = statuses[action]
            revision.message = reason
            revision.decided_at = timezone.now()
            revision.save(update_fields=["status", "message", "decided_at"])
            _record(by, revision, action, reason)
        self.refresh_from_db()
        return self

    def approve(self, by):
        return self.decide(Decision.Action.APPROVE, by)

    def apply(self):
        """Copy the proposed values onto the live listing."""
        listing = Listing.objects.select_for_update().get(pk=self.listing_id)
        # A volunteer approved what the producer says now: it counts as a confirmation, and a listing hidden for
        # want of one comes back with its new values.
        listing.confirmed_at = timezone.now()
        if listing.status == Listing.Status.UNCONFIRMED:
            listing.status = Listing.Status.PUBLISHED
        # A published change: the feeds and alerts of its area show it as updated.
        listing.changed_at = listing.confirmed_at
        apply_values(listing, self.data)
        # The edit's photos go after the photos the listing keeps, in the edit's order: numbered within the edit from
        # 0, their own positions would put a replacement of the last photo second, or a new photo before the cover.
        start = renumber_photos(listing.photos)
        for position, photo in enumerate(self.photos.order_by("position", "pk"), start=start):
            listing.photos.create(
                image=photo.image.name, thumbnail=photo.thumbnail.name, alt_text=photo.alt_text, position=position
            )


class RevisionPhoto(Photo):
    """A photo proposed in a revision; it joins the listing's photos when the revision is approved."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="photos")

    class Meta(Photo.Meta):
        verbose_name = _("proposed photo")
        verbose_name_plural = _("proposed photos")


def _hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class EditTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class EditToken(models.Model):
    """A producer's private link to their listing.

    Only a hash of the random token is stored; the URL carries the token signed with SECRET_KEY
    (django.core.signing), so a forged or altered link is refused before any database look-up.
    """

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="edit_tokens", verbose_name=_("listing")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = EditTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("private edit link")
        verbose_name_plural = _("private edit links")

    def __str__(self):
        return _("Link for %(listing)s") % {"listing": self.listing}

    @classmethod
    def issue(cls, listing):
        """A new link for the listing; returns the signed value to put in the URL.

        Older links keep working: a producer who kept the first email must not be locked out because a volunteer's
        answer, or someone typing their address in the lost-link form, brought a newer one.
        """
        raw = secrets.token_urlsafe(32)
        cls.objects.create(listing=listing, token_hash=_hash(raw))
        return signing.Signer(salt=EDIT_LINK_SALT).sign(raw)

    @classmethod
    def renew(cls, listing):
        """The producer's own "new link" button: every other link stops working, one new link is returned."""
        with transaction.atomic():
            cls.revoke_all(listing)
            return cls.issue(listing)

    @classmethod
    def discard(cls, signed):
        """Delete a link that was never delivered."""
        token = cls.lookup(signed)
        if token is not None:
            token.delete()

    @classmethod
    def lookup(cls, signed):
        """The token a signed URL value names, revoked or not; None for a forged or unknown value."""
        try:
            raw = signing.Signer(salt=EDIT_LINK_SALT).unsign(signed)
        except signing.BadSignature:
            return None
        return cls.objects.select_related("listing").filter(token_hash=_hash(raw)).first()

    @classmethod
    def find(cls, signed):
        """The active token a signed URL value opens, or None."""
        token = cls.lookup(signed)
        return token if token is not None and token.revoked_at is None else None

    @classmethod
    def revoke_all(cls, listing):
        cls.objects.filter(listing=listing, revoked_at__isnull=True).update(revoked_at=timezone.now())


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


def decisions_about(listing):
    """The volunteers' decisions on a listing and on its edits, oldest first."""
    return Decision.objects.filter(
        models.Q(content_type=ContentType.objects.get_for_model(Listing), object_id=listing.pk)
        | models.Q(
            content_type=ContentType.objects.get_for_model(Revision),
            object_id__in=list(listing.revisions.values_list("pk", flat=True)),
        )
    ).order_by("pk")


def volunteer_message(listing):
    """The volunteer's latest question or refusal, while the producer has not answered it with an edit; or None."""
    last = decisions_about(listing).last()
    if last is None or last.action not in (Decision.Action.REJECT, Decision.Action.REQUEST_CHANGES):
        return None
    if listing.updated_at > last.created_at or listing.revisions.filter(created_at__gt=last.created_at).exists():
        return None
    return last


def edit_url(signed):
    return settings.SITE_URL + reverse("moderation:edit", kwargs={"token": signed})


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


class Decision(models.Model):
    """The audit log: who decided what, when and why. Written by the code only, never edited."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REJECT = "reject", _("Reject")
        REQUEST_CHANGES = "request_changes", _("Ask for changes")
        DISMISS = "dismiss", _("Dismiss")
        FIX = "fix", _("Mark as fixed")
        WITHDRAW = "withdraw", _("Withdraw")
        REPUBLISH = "republish", _("Re-publish")
        # Written by the producer's erase link, with no volunteer: it ends what a volunteer may bring back.
        ERASE = "erase", _("Erased by the producer")
        # The listing is still right: a volunteer who phoned, or its producer through the link (no volunteer's name).
        CONFIRM = "confirm", _("Confirm")
        # Written by the daily `confirm_listings`: nobody confirmed the listing in LISTING_HIDE_AFTER_DAYS.
        HIDE = "hide", _("Hidden until confirmed")
        # A volunteer turned a producer's own words ("marché du samedi à Angers") into a link to that market.
        LINK = "link", _("Link to a market")

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderation_decisions",
        verbose_name=_("volunteer"),
    )
    # Kept even if the account is deleted later.
    moderator_name = models.CharField(_("volunteer's username"), max_length=150, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=_("object type"))
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.get_action_display()} · {self.object_repr}"


class ErrorReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ErrorReport.Status.OPEN)


class ErrorReport(models.Model):
    """A shopper telling us a listing is wrong."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("The activity has closed")
        WRONG_INFO = "wrong_info", _("Some information is wrong")
        DUPLICATE = "duplicate", _("It is listed twice")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FIXED = "fixed", _("Fixed")
        DISMISSED = "dismissed", _("Dismissed")

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="error_reports", verbose_name=_("listing")
    )
    kind = models.CharField(_("what is wrong"), max_length=20, choices=Kind.choices)
    message = models.TextField(_("details"), max_length=2000)
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")

    def __str__(self):
        return _("Report on %(listing)s") % {"listing": self.listing}

    def decide(self, action, by, reason=""):
        statuses = {Decision.Action.FIX: self.Status.FIXED, Decision.Action.DISMISS: self.Status.DISMISSED}
        with transaction.atomic():
            report = ErrorReport.objects.select_for_update().get(pk=self.pk)
            _after_lock(report)
            if report.status != self.Status.OPEN:
                raise AlreadyDecided
            report.status = statuses[action]
            # The privacy notice promises it: the shopper's address is kept only while the report is open.
            report.email = ""
            report.save(update_fields=["status", "email"])
            _record(by, report, action, reason)
        self.refresh_from_db()
        return self


class PendingListing(Listing):
    """New listings awaiting review: the volunteers' queue in the admin (same table as Listing)."""

    class Meta:
        proxy = True
        ordering = ["created_at"]
        verbose_name = _("new listing to review")
        verbose_name_plural = _("new listings to review")


class StaleListing(Listing):
    """Listings a volunteer should check by phone: the admin's "stale listings" queue (moderation.freshness)."""

    class Meta:
        proxy = True
        verbose_name = _("stale listing")
        verbose_name_plural = _("stale listings")


class ConfirmationStep(models.Model):
    """One step of a listing's yearly confirmation, taken by the daily `confirm_listings`: the question, the reminder,
    hiding it. One row per step and per confirmation date, so running the command again sends nothing twice;
    confirming gives the listing a new date, and the next year's steps are new rows."""

    class Step(models.TextChoices):
        ASK = "ask", _("Asked to confirm")
        REMIND = "remind", _("Reminded")
        HIDE = "hide", _("Hidden until confirmed")

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="confirmation_steps", verbose_name=_("listing")
    )
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    # The listing's confirmed_at when the step was taken: the cycle it belongs to.
    confirmed_at = models.DateTimeField(_("confirmation it follows"))
    taken_at = models.DateTimeField(_("date"))
    # False when the listing has no email address: nobody could be told, the volunteers' queue shows it.
    emailed = models.BooleanField(_("emailed"), default=True)

    class Meta:
        ordering = ["taken_at", "pk"]
        verbose_name = _("confirmation step")
        verbose_name_plural = _("confirmation steps")
        constraints = [
            models.UniqueConstraint(fields=["listing", "step", "confirmed_at"], name="confirmation_step_once")
        ]

    def __str__(self):
        return f"{self.get_step_display()} · {self.listing}"


class ModeratorProfile(models.Model):
    """A volunteer's team: the departments they look after first, and whether they get the daily digest.

    A volunteer without departments sees and hears about everything, as on a small site."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderator_profile",
        verbose_name=_("volunteer"),
    )
    departments = models.ManyToManyField(
        "producers.Department", blank=True, related_name="moderators", verbose_name=_("departments")
    )
    daily_digest = models.BooleanField(
        _("daily digest"), default=False, help_text=_("One email a day listing the new submissions to review.")
    )
    last_digest_at = models.DateTimeField(_("last digest sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("volunteer's team")
        verbose_name_plural = _("volunteers' teams")

    def __str__(self):
        return str(self.user)


class DismissedMarketSuggestion(models.Model):
    """A volunteer said a producer's words do not mean this market (moderation.market_suggestions): it is not
    suggested again. The decision itself is in the log."""

    producer = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+", verbose_name=_("producer"))
    market = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="+", verbose_name=_("market"))
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed market suggestion")
        verbose_name_plural = _("dismissed market suggestions")
        constraints = [models.UniqueConstraint(fields=["producer", "market"], name="market_suggestion_dismissed_once")]

    def __str__(self):
        return _("%(producer)s at %(market)s") % {"producer": self.producer, "market": self.market}
