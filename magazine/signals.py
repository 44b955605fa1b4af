"""The Mag's articles and notices show on every directory page (magazine.templatetags): a change drops the cached
pages and fragments (localdir.cache), once its transaction commits. Drafts nobody sees change nothing."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from localdir.cache import invalidate_public_pages

from .models import Article, ArticleCategory, DepartmentNotice


@receiver(pre_save, sender=Article)
def _remember_if_public(sender, instance, raw=False, using=None, **kwargs):
    instance._was_published = (
        not raw
        and instance.pk is not None
        and sender.objects.using(using).filter(pk=instance.pk, status=Article.Status.PUBLISHED).exists()
    )


@receiver(post_save, sender=Article)
def _article_saved(sender, instance, using=None, **kwargs):
    if instance.status == Article.Status.PUBLISHED or getattr(instance, "_was_published", False):
        invalidate_public_pages(using)


@receiver(post_delete, sender=Article)
def _article_deleted(sender, instance, using=None, **kwargs):
    if instance.status == Article.Status.PUBLISHED:
        invalidate_public_pages(using)


@receiver(m2m_changed, sender=Article.categories.through)
@receiver(m2m_changed, sender=Article.departments.through)
def _article_places_or_categories_changed(sender, instance, action, reverse, using=None, **kwargs):
    if action.startswith("post_") and (reverse or instance.status == Article.Status.PUBLISHED):
        invalidate_public_pages(using)


@receiver(post_save, sender=DepartmentNotice)
@receiver(post_delete, sender=DepartmentNotice)
@receiver(post_save, sender=ArticleCategory)
@receiver(post_delete, sender=ArticleCategory)
def _shown_everywhere_changed(sender, using=None, **kwargs):
    invalidate_public_pages(using)
