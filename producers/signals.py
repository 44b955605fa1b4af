"""Public pages cached for visitors are dropped when a listing they may show changes (localdir.cache).

Receivers on the models, not calls in each view: publishing, withdrawing, erasing, an approved edit, the admin and
imports all save a Listing, so no path can forget.
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from localdir.cache import invalidate_public_pages

from .models import Closure, Listing


@receiver(pre_save, sender=Listing)
def _remember_if_public(sender, instance, raw=False, using=None, **kwargs):
    # Withdrawing is a save whose new status is not public: what counts is what the pages showed until now.
    instance._was_published = (
        not raw
        and instance.pk is not None
        and sender.objects.using(using).filter(pk=instance.pk, status=Listing.Status.PUBLISHED).exists()
    )


@receiver(post_save, sender=Listing)
def _listing_saved(sender, instance, raw=False, using=None, **kwargs):
    if instance.status == Listing.Status.PUBLISHED or getattr(instance, "_was_published", False):
        invalidate_public_pages(using)


@receiver(post_delete, sender=Listing)
def _listing_deleted(sender, instance, using=None, **kwargs):
    if instance.status == Listing.Status.PUBLISHED:
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
