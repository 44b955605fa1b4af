"""When a listing the public may see changes: cached pages and data are dropped (localdir.cache), and the published
counts of the departments and communes it leaves or enters are recounted (producers.counts).

Receivers on the models, not calls in each view: publishing, withdrawing, erasing, an approved edit, the admin and
imports all save a Listing, so no path can forget.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from localdir.cache import invalidate_public_pages

from . import attendances, counts
from .models import Attendance, Category, Closure, DeliveryMode, Department, Listing, ListingPhoto, LocalCurrency


@receiver(pre_save, sender=Listing)
def _remember_if_public(sender, instance, raw=False, using=None, **kwargs):
    # Withdrawing is a save whose new status is not public: what counts is what the pages showed until now.
    instance._was_published = False
    instance._old_places = (None, None)
    if raw or instance.pk is None:
        return
    old = sender.objects.using(using).filter(pk=instance.pk).values_list("status", "department_id", "commune_id")
    for status, department_id, commune_id in old:
        instance._was_published = status == Listing.Status.PUBLISHED
        instance._old_places = (department_id, commune_id)


def _recount_after_commit(using, *places):
    departments = [department for department, _ in places]
    communes = [commune for _, commune in places]
    # Robust: the publication is committed already; a recount that fails is logged, and the next one repairs it.
    transaction.on_commit(partial(counts.recount, departments, communes, using=using), using=using, robust=True)


@receiver(post_save, sender=Listing)
def _listing_saved(sender, instance, raw=False, using=None, **kwargs):
    published = instance.status == Listing.Status.PUBLISHED
    was_published = getattr(instance, "_was_published", False)
    old_places = getattr(instance, "_old_places", (None, None))
    new_places = (instance.department_id, instance.commune_id)
    # Recounted before the cached pages are dropped (on_commit keeps the order): a page rendered in between
    # would keep the old count under the new generation.
    if published != was_published or (published and new_places != old_places):
        _recount_after_commit(using, old_places, new_places)
    if published or was_published:
        invalidate_public_pages(using)
    if instance.kind == Listing.Kind.MARKET and published != was_published and not raw:
        # A market published or withdrawn: its producers' "on the markets" mode follows.
        producers = list(instance.stands.values_list("producer_id", flat=True))
        attendances.sync_delivery_modes(producers, lost=[] if published else producers)


@receiver(post_delete, sender=Listing)
def _listing_deleted(sender, instance, using=None, **kwargs):
    if instance.status == Listing.Status.PUBLISHED:
        _recount_after_commit(using, (instance.department_id, instance.commune_id))
        invalidate_public_pages(using)


# The filters' choices and the departments' names are cached with the pages (producers.reference).
@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
@receiver(post_save, sender=DeliveryMode)
@receiver(post_delete, sender=DeliveryMode)
@receiver(post_save, sender=LocalCurrency)
@receiver(post_delete, sender=LocalCurrency)
@receiver(post_save, sender=Department)
@receiver(post_delete, sender=Department)
def _taxonomy_changed(sender, using=None, **kwargs):
    invalidate_public_pages(using)


@receiver(post_save, sender=ListingPhoto)
@receiver(post_delete, sender=ListingPhoto)
def _photo_changed(sender, instance, raw=False, using=None, **kwargs):
    # A published listing's cached page shows its photos, which may change without the listing being saved.
    if (
        not raw
        and Listing.objects.using(using).filter(pk=instance.listing_id, status=Listing.Status.PUBLISHED).exists()
    ):
        invalidate_public_pages(using)


@receiver(m2m_changed, sender=LocalCurrency.departments.through)
def _currency_area_changed(sender, action, using=None, **kwargs):
    if action.startswith("post_"):
        invalidate_public_pages(using)


@receiver(post_save, sender=Closure)
@receiver(post_delete, sender=Closure)
def _closure_changed(sender, instance, raw=False, using=None, **kwargs):
    # A closure shows on the listing's page and changes "open now" on the cards and the map.
    if (
        not raw
        and Listing.objects.using(using).filter(pk=instance.listing_id, status=Listing.Status.PUBLISHED).exists()
    ):
        invalidate_public_pages(using)


@receiver(post_save, sender=Attendance)
@receiver(post_delete, sender=Attendance)
def _attendance_changed(sender, instance, raw=False, using=None, **kwargs):
    # Both listings' pages show the link (bulk writes in producers.attendances invalidate by themselves).
    if not raw:
        invalidate_public_pages(using)
