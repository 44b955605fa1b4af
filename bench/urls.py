"""The project's URLs behind /bench/ceiling/, the cheapest Django response: what the stack costs by itself."""

from django.http import HttpResponse
from django.urls import path

from localdir.urls import handler404, handler500  # noqa: F401
from localdir.urls import urlpatterns as project_urlpatterns


def ceiling(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ceiling/", ceiling), *project_urlpatterns]
