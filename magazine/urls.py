from django.urls import path

# <dept:…> is the department code converter registered by the producers app.
from . import feeds, views

app_name = "magazine"

urlpatterns = [
    path("", views.article_list, name="index"),
    path("flux.rss", feeds.MagazineFeed(), name="feed_rss"),
    path("flux.atom", feeds.MagazineAtomFeed(), name="feed_atom"),
    path("departements/<dept:code>/flux.rss", feeds.DepartmentFeed(), name="department_feed_rss"),
    path("departements/<dept:code>/flux.atom", feeds.DepartmentAtomFeed(), name="department_feed_atom"),
    path("apercu/<int:pk>/", views.article_preview, name="preview"),
    path("<slug:slug>/", views.article_detail, name="article"),
]
