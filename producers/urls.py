from django.urls import path

# The <dept:…> and <insee:…> converters are registered in ProducersConfig.ready().
from . import exports, views
from .embed import views as embed
from .markets import views as market_views

app_name = "producers"

urlpatterns = [
    path("", views.home, name="home"),
    path("carte/", views.france_map, name="france_map"),
    path("carte.geojson", views.france_geojson, name="france_geojson"),
    path("recherche/", views.search, name="search"),
    path("recherche/communes/", views.commune_autocomplete, name="commune_autocomplete"),
    path("recherche/activites/", views.listing_autocomplete, name="listing_autocomplete"),
    path("departements/<dept:code>-<slug:slug>/", views.department, name="department"),
    path("departements/<dept:code>-<slug:slug>/carte.geojson", views.department_geojson, name="department_geojson"),
    path("communes/<insee:insee_code>-<slug:slug>/", views.commune, name="commune"),
    path("communes/<insee:insee_code>-<slug:slug>/carte.geojson", views.commune_geojson, name="commune_geojson"),
    path("activites/<slug:slug>/", views.listing, name="listing"),
    # The map on partners' sites: the builder, and the only pages other sites may frame (producers/embed/).
    path("integrer/", embed.builder, name="embed_builder"),
    path("embed/departements/<dept:code>-<slug:slug>/", embed.embed_department, name="embed_department"),
    path("embed/communes/<insee:insee_code>-<slug:slug>/", embed.embed_commune, name="embed_commune"),
    # Markets, pick-up points and fairs (producers/markets/): the department's list, its week ahead, the feeds.
    path("departements/<dept:code>-<slug:slug>/marches/", market_views.department_markets, name="department_markets"),
    path(
        "departements/<dept:code>-<slug:slug>/marches/cette-semaine/",
        market_views.department_market_week,
        name="department_market_week",
    ),
    path(
        "departements/<dept:code>-<slug:slug>/marches.ics",
        market_views.department_markets_calendar,
        name="department_markets_calendar",
    ),
    path("activites/<slug:slug>/calendrier.ics", market_views.market_calendar, name="market_calendar"),
    # Open data: both formats share a name; reverse() picks the one whose fmt matches.
    path(
        "departements/<dept:code>-<slug:slug>/export.csv",
        exports.department_export,
        {"fmt": "csv"},
        name="department_export",
    ),
    path(
        "departements/<dept:code>-<slug:slug>/export.geojson",
        exports.department_export,
        {"fmt": "geojson"},
        name="department_export",
    ),
    path("export/activites.csv", exports.france_export, {"fmt": "csv"}, name="france_export"),
    path("export/activites.geojson", exports.france_export, {"fmt": "geojson"}, name="france_export"),
]
