from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from localdir import images, kept_files
from producers.models import Listing

from .models import COVER_SIZES, Article, ArticleCategory, DepartmentNotice, SitePage


class ArticleAdminForm(forms.ModelForm):
    cover = images.ImageField(label=capfirst(_("cover image")), required=False, sizes=COVER_SIZES)
    # A cover chosen while another field was wrong is kept (as producers' photos are, localdir.kept_files):
    # browsers never send a file again, and the article was saved without the cover its editor had chosen.
    kept_cover = forms.CharField(label=_("cover image"), widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = kept_files.unsign(self.data.get(self.add_prefix("kept_cover"))) if self.is_bound else []
        if self.kept:
            self._say_kept()

    def _say_kept(self):
        message = _(
            "The image you chose is kept and will be saved with the article; choose another file only to replace it."
        )
        # The bound field copies its help text when created, which cleaning the form has already done.
        self.fields["cover"].help_text = self["cover"].help_text = message

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if cover is None and self.kept:  # nothing sent this time (False: the editor ticked "clear")
            return kept_files.load(self.kept[0])
        return cover

    def full_clean(self):
        super().full_clean()
        cover = self.cleaned_data.get("cover") if hasattr(self, "cleaned_data") else None
        # A file sent this time replaces the one kept: the help text says so ("choose another file only to replace
        # it"), and the kept one was saved instead.
        chosen = bool(self.files.get(self.add_prefix("cover")))
        if self._errors and isinstance(cover, images.ProcessedImage) and (chosen or not self.kept):
            kept_files.discard(self.kept)
            self.kept = [kept_files.keep(cover)]
            self.data = self.data.copy()
            self.data[self.add_prefix("kept_cover")] = kept_files.sign(self.kept)
            self._say_kept()

    def save(self, commit=True):
        article = super().save(commit)
        # The kept files were read into the article's cover; those of a form never sent again go with
        # purge_personal_data.
        kept_files.discard(self.kept)
        return article


@admin.register(ArticleCategory)
class ArticleCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


class DepartmentNoticeInline(admin.TabularInline):
    model = DepartmentNotice
    extra = 0
    fields = ["department", "pinned_until"]
    verbose_name = _("pinned on a department page")
    verbose_name_plural = _("pinned on department pages")


class PublicationFilter(admin.SimpleListFilter):
    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", _("Draft")), ("scheduled", _("Scheduled")), ("public", _("Online"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(status=Article.Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        if self.value() == "public":
            return queryset.published(now)
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "magazine/admin/article_change_form.html"
    list_display = ["title", "author_name", "publication", "published_at", "updated_at"]
    list_filter = [PublicationFilter, "categories", "departments"]
    search_fields = ["title", "standfirst", "author_name"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories", "departments", "listings"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [DepartmentNoticeInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author_name", "standfirst", "body"]}),
        (_("Cover image"), {"fields": ["cover", "kept_cover", "cover_alt"]}),
        (_("Where it appears"), {"fields": ["categories", "departments", "listings"]}),
        (_("Publication"), {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("publication"))
    def publication(self, article):
        if article.is_public:
            return _("Online")
        if article.is_scheduled:
            return _("Scheduled")
        return _("Draft")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "listings":
            # Editors have no right on listings: a plain list of the published ones, without the admin's
            # autocomplete (which would need the listing admin's view permission).
            kwargs["queryset"] = Listing.objects.published().order_by("name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def view_on_site(self, article):
        # Drafts and scheduled articles have no public page yet: the change form links to their preview.
        return article.get_absolute_url() if article.is_public else None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["preview_url"] = reverse("magazine:preview", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(DepartmentNotice)
class DepartmentNoticeAdmin(admin.ModelAdmin):
    """Every pinned notice at a glance, to unpin one without looking for its article."""

    list_display = ["article", "department", "pinned_until", "created_at"]
    list_filter = ["department"]
    list_select_related = ["article", "department"]
    search_fields = ["article__title"]
    raw_id_fields = ["article"]


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "updated_at"]
    fields = ["title", "body", "title_en", "body_en", "slug"]

    def get_readonly_fields(self, request, obj=None):
        # The footer links these addresses: renaming one would break its link.
        return ["slug"] if obj is not None else []

    def view_on_site(self, obj):
        return obj.get_absolute_url()
