"""The static files' storage in production: WhiteNoise's compressed manifest storage, its URLs kept by each process."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# A bound on the URLs kept, should a template ever name static files from data.
KEPT_URLS = 1000


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, each file's URL computed once per process.

    `{% static %}` looked the name up in the manifest and built the URL (URL splitting, joining and unquoting) on
    every page: as long as a translated sentence on the listing page. Both the manifest and the base URL are read
    when the storage is created and do not change while it lives (as in Django's storage), nor then its URLs.
    """

    def __init__(self, *args, **kwargs):
        self._urls = {}
        super().__init__(*args, **kwargs)

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        key = (name, settings.DEBUG)  # DEBUG serves the names unhashed
        url = self._urls.get(key)
        if url is None:
            url = super().url(name)
            if len(self._urls) < KEPT_URLS:
                self._urls[key] = url
        return url
