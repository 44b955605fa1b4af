"""The site's own pages (about, legal notice, privacy, open data, contact), at /pages/<slug>/."""

from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [path("<slug:slug>/", views.site_page, name="page")]
