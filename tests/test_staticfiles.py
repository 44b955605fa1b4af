"""The production storage of static files: the manifest's names, each URL computed once per process."""

import json

from localdir.staticfiles import StaticFilesStorage


def test_static_urls_are_the_manifests_names(settings, tmp_path):
    manifest = {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1", "hash": "0123456789ab"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    settings.DEBUG = False
    settings.STATIC_ROOT = str(tmp_path)
    settings.STATIC_URL = "/static/"
    storage = StaticFilesStorage()
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"  # kept
    assert storage.url("leaflet/images/") == "/static/leaflet/images/"  # a directory: not hashed
    settings.DEBUG = True  # names served unhashed, as Django's storage does
    assert storage.url("css/site.css") == "/static/css/site.css"
