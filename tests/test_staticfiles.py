"""The production storage of static files: the manifest's names, each URL computed once per process."""

import json

from django.contrib.staticfiles.storage import HashedFilesMixin
from django.core.files.storage import FileSystemStorage

from localdir.staticfiles import StaticFilesStorage


def storage_with_manifest(settings, tmp_path):
    manifest = {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1", "hash": "0123456789ab"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    settings.DEBUG = False
    settings.STATIC_ROOT = str(tmp_path)
    settings.STATIC_URL = "/static/"
    return StaticFilesStorage()


def test_static_urls_are_the_manifests_names(settings, tmp_path, monkeypatch):
    storage = storage_with_manifest(settings, tmp_path)
    computed = []
    djangos_url = HashedFilesMixin.url
    monkeypatch.setattr(
        HashedFilesMixin, "url", lambda self, name, force=False: computed.append(name) or djangos_url(self, name, force)
    )
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    assert computed == ["css/site.css"]  # computed once, then kept
    assert storage.url("leaflet/images/") == "/static/leaflet/images/"  # a directory: not hashed
    settings.DEBUG = True  # names served unhashed, as Django's storage does
    assert storage.url("css/site.css") == "/static/css/site.css"


def test_a_manifest_read_again_in_process_gives_its_urls(settings, tmp_path):
    storage = storage_with_manifest(settings, tmp_path)
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    manifest = {"paths": {"css/site.css": "css/site.ffffffffffff.css"}, "version": "1.1", "hash": "ffffffffffff"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage.hashed_files, storage.manifest_hash = storage.load_manifest()  # as Django's storage does on creation
    assert storage.url("css/site.css") == "/static/css/site.ffffffffffff.css"


def test_collectstatic_in_process_gives_the_new_files_urls(settings, tmp_path):
    """post_process() (collectstatic) hashes the files afresh: the URLs kept before are the old manifest's."""
    root = tmp_path / "root"
    root.mkdir()
    storage = storage_with_manifest(settings, root)
    assert storage.url("css/site.css") == "/static/css/site.0123456789ab.css"
    sources = tmp_path / "sources"
    (sources / "css").mkdir(parents=True)
    (sources / "css" / "site.css").write_text("body { color: #222; }\n")
    (root / "css").mkdir()
    (root / "css" / "site.css").write_text("body { color: #222; }\n")  # collectstatic copies, then post-processes
    processed = list(storage.post_process({"css/site.css": (FileSystemStorage(location=sources), "css/site.css")}))
    hashed = next(name for original, name, done in processed if original == "css/site.css")
    assert hashed != "css/site.0123456789ab.css"
    assert storage.url("css/site.css") == f"/static/{hashed}"
