from django.urls import path

from . import views

app_name = "producers"

urlpatterns = [
    path("", views.home, name="home"),
    path("departements/<str:code>-<slug:slug>/", views.department, name="department"),
    path("departements/<str:code>-<slug:slug>/carte.geojson", views.department_geojson, name="department_geojson"),
    path("communes/<str:insee_code>-<slug:slug>/", views.commune, name="commune"),
    path("activites/<slug:slug>/", views.listing, name="listing"),
    path("recherche/communes/", views.commune_autocomplete, name="commune_autocomplete"),
    path("recherche/", views.search, name="search"),
]
