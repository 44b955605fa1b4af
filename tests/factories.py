"""factory-boy factories shared by every test module."""

import factory
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import TestCase

from producers.models import Category, Commune, DeliveryMode, Department, Listing, LocalCurrency, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "52"
    name = "Pays de la Loire"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "49"
    name = "Maine-et-Loire"
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    """Defaults to Angers; pass insee_code, name, postal_codes, latitude, longitude for others."""

    class Meta:
        model = Commune
        django_get_or_create = ("insee_code",)

    insee_code = "49007"
    name = "Angers"
    department = factory.SubFactory(DepartmentFactory)
    postal_codes = "49000 49100"
    population = 155850
    latitude = 47.4711
    longitude = -0.5518


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Catégorie {n}")
    slug = factory.Sequence(lambda n: f"categorie-{n}")


class LocalCurrencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalCurrency
        django_get_or_create = ("slug",)

    name = "La Muse"
    slug = "la-muse"


def delivery_mode(code):
    """Delivery modes are seeded by a migration; fetch one by code."""
    return DeliveryMode.objects.get(code=code)


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Ferme n°{n}")
    kind = Listing.Kind.PRODUCER
    short_description = "Légumes de saison"
    commune = factory.SubFactory(CommuneFactory)
    status = Listing.Status.PUBLISHED
    opening_hours = "Mo-Fr 09:00-12:00,14:00-18:30"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Saved as the site saves a listing: what its transaction does once committed runs (producers.signals: the
        stored counts of its department and commune recounted, the cached pages dropped), as when a request ends.

        A test's transaction never commits: without this, pages read from the stored counts would see a listing
        published by a factory as not counted. Inside a test's own `transaction.atomic()`, the callbacks wait for
        its end, as on the site."""
        connection = connections[cls._meta.database]
        if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
            return super()._create(model_class, *args, **kwargs)
        with TestCase.captureOnCommitCallbacks(using=cls._meta.database, execute=True):
            return super()._create(model_class, *args, **kwargs)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save_password(self, create, extracted, **kwargs):
        if create:
            self.save(update_fields=["password"])
