"""The Mag's list filters, from the query string: ?categorie=portraits&departement=49."""

import django_filters
from django.db.models import Exists, OuterRef, Q
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

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Offer only departments that have published articles (the others would always list national ones only),
        # and the one asked for, so that a department page's link to its Mag never turns into an error.
        articles = Article.departments.through.objects.filter(
            department=OuterRef("pk"), article__in=Article.objects.published().values("pk")
        )
        asked = (data or {}).get("departement") or ""
        self.form.fields["departement"].queryset = Department.objects.filter(Exists(articles) | Q(code=asked.upper()))

    def filter_category(self, queryset, name, value):
        return queryset.in_category(value)

    def filter_department(self, queryset, name, value):
        return queryset.for_department(value)
