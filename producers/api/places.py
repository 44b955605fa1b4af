"""The directory's reference data through the public API: departments and communes with their published counts,
and the taxonomy the filters take (categories, delivery modes, local currencies)."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Query
from ninja.decorators import decorate_view

from producers import reference
from producers.models import Category, Commune, DeliveryMode, Department, LocalCurrency
from producers.towns import INSEE_CODE

from . import schemas
from .http import ReadRouter, Refused, decode_cursor, endpoint, next_url, with_licence

router = ReadRouter()


@router.get("/departments", response=schemas.DepartmentList, tags=["places"], summary="Departments")
@decorate_view(endpoint)
def department_list(request):
    """The 101 departments in code order, with their published listings."""
    departments = Department.objects.order_by("code").values("code", "name", "slug", "region__code", "listing_count")
    url = settings.SITE_URL + Department(code="00", slug="x").get_absolute_url()
    return with_licence(
        {
            "results": [
                {
                    **department,
                    "region": department["region__code"],
                    "url": url.replace("/00-x/", f"/{department['code']}-{department['slug']}/"),
                }
                for department in departments
            ]
        }
    )


@router.get("/communes", response={200: schemas.CommunePage, 400: schemas.Error}, tags=["places"], summary="Communes")
@decorate_view(endpoint)
def commune_list(request, params: Query[schemas.CommuneParams]):
    """The communes in INSEE code order, a page at a time: follow `next`."""
    communes = Commune.objects.order_by("insee_code")
    if params.department:
        department = reference.department_by_code().get(params.department.upper())
        if department is None:
            raise Refused(_("Unknown department."), {"department": [_("No department has this code.")]})
        communes = communes.filter(department=department)
    if params.with_listings:
        communes = communes.filter(listing_count__gt=0)
    if after := decode_cursor(params.cursor):
        if not INSEE_CODE.fullmatch(after):
            raise Refused(_("This cursor is not valid: follow the next links."), {"cursor": [params.cursor[:50]]})
        communes = communes.filter(insee_code__gt=after)
    rows = list(
        communes.values(
            "insee_code",
            "name",
            "slug",
            "department__code",
            "postal_codes",
            "latitude",
            "longitude",
            "listing_count",
        )[: params.limit + 1]
    )
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    url = settings.SITE_URL + Commune(insee_code="00000", slug="x").get_absolute_url()
    results = [
        {
            **row,
            "department": row["department__code"],
            "postal_codes": row["postal_codes"].split(),
            "url": url.replace("/00000-x/", f"/{row['insee_code']}-{row['slug']}/"),
        }
        for row in rows
    ]
    return with_licence({"next": next_url(request, rows[-1]["insee_code"]) if more else None, "results": results})


@router.get("/categories", response=schemas.CategoryList, tags=["taxonomy"], summary="Categories")
@decorate_view(endpoint)
def category_list(request):
    """The categories in the taxonomy's order: the `category` filter takes their slug."""
    rows = Category.objects.values("slug", "name", "name_en", "parent__slug")
    return with_licence({"results": [{**row, "parent": row["parent__slug"]} for row in rows]})


@router.get("/delivery-modes", response=schemas.DeliveryModeList, tags=["taxonomy"], summary="Delivery modes")
@decorate_view(endpoint)
def delivery_mode_list(request):
    """How shoppers get the goods: the `delivery` filter takes their code."""
    return with_licence({"results": list(DeliveryMode.objects.values("code", "name", "name_en"))})


@router.get("/currencies", response=schemas.CurrencyList, tags=["taxonomy"], summary="Local currencies")
@decorate_view(endpoint)
def currency_list(request):
    """The local currencies and where they circulate: the `currency` filter takes their slug."""
    departments = {}
    for slug, code in LocalCurrency.departments.through.objects.values_list("localcurrency__slug", "department__code"):
        departments.setdefault(slug, []).append(code)
    rows = LocalCurrency.objects.values("slug", "name", "website", "area")
    return with_licence({"results": [{**row, "departments": sorted(departments.get(row["slug"], []))} for row in rows]})
