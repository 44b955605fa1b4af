"""The static files' storage in production: WhiteNoise's compressed manifest storage, its URLs kept by each process."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# A bound on the URLs kept, should a template ever name static files from data.
KEPT_URLS = 1000


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, each file's URL computed once per process.

    `{% static %}` looked the name up in the manifest and built the URL (URL splitting, joining and unquoting) on
    every page: as long as a translated sentence on the listing page. Both the manifest and the base URL are read
    when the storage is created; the URLs kept are those of the manifest read (`hashed_files`), dropped when
    load_manifest() or post_process() (collectstatic, in process) replaces it or post_process() fills it.
    """

    def __init__(self, *args, **kwargs):
        self._urls = {}
        self._urls_manifest = None
        super().__init__(*args, **kwargs)

    def post_process(self, *args, **kwargs):
        self._urls = {}
        yield from super().post_process(*args, **kwargs)
        self._urls = {}  # the manifest is filled in place at the end

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        if self._urls_manifest is not self.hashed_files:
            # Held, the manifest read keeps its identity: a new one cannot be taken for it.
            self._urls, self._urls_manifest = {}, self.hashed_files
        key = (name, settings.DEBUG)  # DEBUG serves the names unhashed
        url = self._urls.get(key)
        if url is None:
            url = super().url(name)
            if len(self._urls) < KEPT_URLS:
                self._urls[key] = url
        return url
