"""factory-boy factories for the Mag's tests."""

import datetime

import factory
from django.utils import timezone

from magazine.models import Article, ArticleCategory, DepartmentNotice
from tests.factories import DepartmentFactory


def category(slug):
    """Categories are seeded by a migration; fetch one by slug ("vie-locale", "portraits", "pratique", "evenements")."""
    return ArticleCategory.objects.get(slug=slug)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article, online since an hour ago, national unless given departments."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article n°{n}")
    standfirst = "Ce qui se passe près de chez vous."
    body = "Un **texte** en Markdown."
    author_name = "Camille Martin"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)

    @factory.post_generation
    def listings(self, create, extracted, **kwargs):
        if create and extracted:
            self.listings.set(extracted)


class DraftFactory(ArticleFactory):
    status = Article.Status.DRAFT
    published_at = None


class DepartmentNoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentNotice

    article = factory.SubFactory(ArticleFactory)
    department = factory.SubFactory(DepartmentFactory)
    pinned_until = None
