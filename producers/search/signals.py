"""Keep search documents current when a listing's categories change, or a category's names do."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from producers.models import Category, Listing

from .documents import category_texts, listing_document, reindex


@receiver(m2m_changed, sender=Listing.categories.through)
def categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not reverse:  # listing.categories.add/remove/set/clear
        if action in ("post_add", "post_remove", "post_clear"):
            instance.search_title, instance.search_body = listing_document(instance)
            Listing.objects.filter(pk=instance.pk).update(
                search_title=instance.search_title, search_body=instance.search_body
            )
        return
    # category.listings.add/remove/…: pk_set holds the listings, except for clear.
    if action == "pre_clear":
        instance._search_listing_ids = list(instance.listings.values_list("pk", flat=True))
    elif action == "post_clear":
        reindex(Listing.objects.filter(pk__in=instance.__dict__.pop("_search_listing_ids", [])))
    elif action in ("post_add", "post_remove"):
        reindex(Listing.objects.filter(pk__in=pk_set))


@receiver(pre_save, sender=Category)
def category_saving(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = Category.objects.filter(pk=instance.pk).first()
    instance._search_renamed = before is not None and category_texts(before) != category_texts(instance)


@receiver(post_save, sender=Category)
def category_saved(sender, instance, raw=False, **kwargs):
    if instance.__dict__.pop("_search_renamed", False):
        reindex(instance.listings.all())


@receiver(post_delete, sender=Category)
@receiver(pre_delete, sender=Category)
def category_deleted(sender, instance, signal, **kwargs):
    if signal is pre_delete:
        instance._search_listing_ids = list(instance.listings.values_list("pk", flat=True))
    else:
        reindex(Listing.objects.filter(pk__in=instance.__dict__.pop("_search_listing_ids", [])))
