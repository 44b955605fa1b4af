"""The Mag's list filters, from the query string: ?categorie=portraits&departement=49."""

import django_filters
from django.utils.translation import gettext_lazy as _

from producers.models import Department

from .models import Article, ArticleCategory


class ArticleFilter(django_filters.FilterSet):
    categorie = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=ArticleCategory.objects.all(),
        to_field_name="slug",
        empty_label=_("All categories"),
        method="filter_category",
    )
    departement = django_filters.ModelChoiceFilter(
        label=_("Department"),
        queryset=Department.objects.all(),
        to_field_name="code",
        empty_label=_("All departments"),
        method="filter_department",
    )

    class Meta:
        model = Article
        fields = []

    def filter_category(self, queryset, name, value):
        return queryset.in_category(value)

    def filter_department(self, queryset, name, value):
        return queryset.for_department(value)
