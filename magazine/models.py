"""The Mag: articles written by the editors, their categories, and notices pinned on department pages."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from localdir.images import ProcessedImage, process_image, random_upload_path
from localdir.translated import TranslatedName
from producers.models import Department, Listing

from .rendering import render_markdown

COVER_SIZES = {"large": 1600, "medium": 800}


class ArticleCategory(TranslatedName):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        """What the public may see: published, and the publication date (possibly scheduled) has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def national(self):
        return self.exclude(Exists(Article.departments.through.objects.filter(article=OuterRef("pk"))))

    def for_department(self, department):
        """Articles about this department, and the national ones (those without any department)."""
        through = Article.departments.through.objects.filter(article=OuterRef("pk"))
        return self.filter(Exists(through.filter(department=department)) | ~Exists(through))

    def in_category(self, category):
        return self.filter(
            Exists(Article.categories.through.objects.filter(article=OuterRef("pk"), articlecategory=category))
        )

    def related_to(self, article):
        """Other articles sharing a category or a department with `article`."""
        # Lists of ids, so that categories and departments already prefetched cost no query.
        categories = Article.categories.through.objects.filter(
            article=OuterRef("pk"), articlecategory__in=[c.pk for c in article.categories.all()]
        )
        departments = Article.departments.through.objects.filter(
            article=OuterRef("pk"), department__in=[d.pk for d in article.departments.all()]
        )
        return self.exclude(pk=article.pk).filter(Exists(categories) | Exists(departments))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)
    standfirst = models.TextField(
        _("standfirst"), max_length=500, help_text=_("The introduction, shown in lists and feeds.")
    )
    body = models.TextField(
        _("body"),
        help_text=_("Markdown. “## Heading” makes a section heading; images only from this site."),
    )
    # The body rendered and sanitised on save, so pages never run Markdown.
    body_html = models.TextField(editable=False, default="")
    cover = models.ImageField(_("cover image"), upload_to=random_upload_path, blank=True)
    cover_thumbnail = models.ImageField(upload_to=random_upload_path, blank=True, editable=False)
    cover_alt = models.CharField(
        _("description of the cover image"),
        max_length=200,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it. Required with a cover image."),
    )
    author_name = models.CharField(_("author"), max_length=120, help_text=_("The name shown under the title."))
    categories = models.ManyToManyField(
        ArticleCategory, related_name="articles", blank=True, verbose_name=_("categories")
    )
    departments = models.ManyToManyField(
        Department,
        related_name="articles",
        blank=True,
        verbose_name=_("departments"),
        help_text=_("None means a national article, shown on every department page."),
    )
    listings = models.ManyToManyField(
        Listing, related_name="articles", blank=True, verbose_name=_("listings mentioned")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("publication date"),
        null=True,
        blank=True,
        help_text=_("A date in the future schedules the article. Empty: now, when published."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.cover and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": _("Describe the cover image for people who cannot see it.")})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.body_html = render_markdown(self.body)
        self._process_cover()
        super().save(*args, **kwargs)

    def _process_cover(self):
        """A new cover goes through the shared image pipeline, whatever way it arrived (admin, shell, import)."""
        if not self.cover:
            self.cover_thumbnail = ""
            return
        if self.cover._committed:
            return
        upload = self.cover.file
        processed = upload if isinstance(upload, ProcessedImage) else process_image(upload, sizes=COVER_SIZES)
        self.cover = processed
        self.cover_thumbnail = processed.variants.get("medium", processed)

    def _unique_slug(self):
        base = slugify(self.title)[:180] or "article"
        slug, n = base, 2
        while Article.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def get_absolute_url(self):
        return reverse("magazine:article", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        published = self.status == self.Status.PUBLISHED and self.published_at is not None
        return published and self.published_at <= timezone.now()

    @property
    def is_scheduled(self):
        published = self.status == self.Status.PUBLISHED and self.published_at is not None
        return published and self.published_at > timezone.now()


class DepartmentNoticeQuerySet(models.QuerySet):
    def current(self, now=None):
        """Notices to show now: not past their end date, and their article is public."""
        now = now or timezone.now()
        return self.filter(
            Q(pinned_until__isnull=True) | Q(pinned_until__gt=now),
            article__status=Article.Status.PUBLISHED,
            article__published_at__lte=now,
        )


class DepartmentNotice(models.Model):
    """An article pinned at the top of a department's page, until it is removed or its end date passes."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notices", verbose_name=_("article"))
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="notices", verbose_name=_("department")
    )
    pinned_until = models.DateTimeField(
        _("pinned until"), null=True, blank=True, help_text=_("Empty: until the notice is removed.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = DepartmentNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("department notice")
        verbose_name_plural = _("department notices")
        constraints = [
            models.UniqueConstraint(fields=["article", "department"], name="department_notice_once_per_department")
        ]

    def __str__(self):
        return f"{self.article} · {self.department}"


class SitePage(models.Model):
    """One of the site's own pages linked from the footer (about, legal notice, privacy…), written by the editors.

    French first, English beside it: each English field left empty shows the French one.
    """

    ABOUT, LEGAL, PRIVACY, OPEN_DATA, CONTACT = (
        "a-propos",
        "mentions-legales",
        "confidentialite",
        "donnees-ouvertes",
        "contact",
    )

    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    body = models.TextField(_("text"), help_text=_("Markdown. “## Heading” makes a section heading."))
    body_en = models.TextField(_("text in English"), blank=True)
    body_html = models.TextField(editable=False, default="")
    body_en_html = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        self.body_en_html = render_markdown(self.body_en)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("pages:page", kwargs={"slug": self.slug})

    def _in_english(self):
        return (get_language() or "").split("-")[0] == "en"

    @property
    def translated_title(self):
        return self.title_en if self._in_english() and self.title_en else self.title

    @property
    def translated_body_html(self):
        """The text in the active language, and that language's code (French when no translation is written)."""
        if self._in_english() and self.body_en.strip():
            return self.body_en_html, "en"
        return self.body_html, "fr"
