from django.urls import path

# The <dept:…> and <insee:…> converters are registered by the producers app.
from localdir.cache import public_page

from . import feeds, views

app_name = "alerts"

# The feeds are public pages, cached like the directory and dropped with it when a listing is published.
urlpatterns = [
    path("nouveautes.rss", public_page(feeds.ListingFeed()), name="feed_rss"),
    path("nouveautes.atom", public_page(feeds.ListingAtomFeed()), name="feed_atom"),
    path(
        "departements/<dept:code>-<slug:slug>/nouveautes.rss",
        public_page(feeds.DepartmentFeed()),
        name="department_feed_rss",
    ),
    path(
        "departements/<dept:code>-<slug:slug>/nouveautes.atom",
        public_page(feeds.DepartmentAtomFeed()),
        name="department_feed_atom",
    ),
    path(
        "communes/<insee:insee_code>-<slug:slug>/nouveautes.rss",
        public_page(feeds.CommuneFeed()),
        name="commune_feed_rss",
    ),
    path(
        "communes/<insee:insee_code>-<slug:slug>/nouveautes.atom",
        public_page(feeds.CommuneAtomFeed()),
        name="commune_feed_atom",
    ),
    path("alertes/", views.subscribe, name="subscribe"),
    path("alertes/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("alertes/desinscrire/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alertes/desinscrire/<str:token>/un-clic/", views.one_click, name="one_click"),
]
