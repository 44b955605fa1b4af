"""The public read API, /api/v1/: the published listings and the directory's reference data as JSON, under the
open-data licence, with an OpenAPI 3 schema generated from the code (django-ninja: docs/partners.en.md says why).

docs/api/openapi.json pins the schema (tests/producers/api/test_contract.py): after a deliberate change, write it
again with `make openapi`.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from . import listings, places
from .http import MEDIA_TYPE, Refused, endpoint, in_french, licence_link


class Renderer(JSONRenderer):
    # UTF-8 as it is, and no spaces: what the exports write.
    json_dumps_params = {"ensure_ascii": False, "separators": (",", ":")}


TOO_MANY_REQUESTS = {
    "description": "Too many requests from this address (API_RATE_LIMIT): ask again after Retry-After seconds.",
    "headers": {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


class API(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """ninja's schema, with what it cannot say by itself: every operation may answer 429 (endpoint()), GeoJSON
        and JSON-LD answers say their media type, and HEAD is GET without a body rather than an operation."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for item in schema["paths"].values():
            item.pop("head", None)
            for operation in item.values():
                media_type = operation.pop(MEDIA_TYPE, None)
                if media_type:
                    content = operation["responses"][200]["content"]
                    content[media_type] = content.pop(self.renderer.media_type)
                operation["responses"][429] = {"$ref": "#/components/responses/TooManyRequests"}
        schema["components"].setdefault("responses", {})["TooManyRequests"] = TOO_MANY_REQUESTS
        return schema


api = API(
    title="localdir API",
    version="1",
    description=(
        "Read-only access to the directory's published listings, under the open-data licence given in every "
        "answer. No key: each address may make API_RATE_LIMIT requests (429 with Retry-After past it). Answers "
        "carry an ETag and Last-Modified: ask again with If-None-Match or If-Modified-Since for a 304."
    ),
    renderer=Renderer(),
    urls_namespace="api-v1",
    # The schema (~40 kB built on every request) and its documentation page are API answers like the others:
    # rate-limited per address and cached until the next change.
    docs_decorator=endpoint,
)
api.add_router("", listings.router)
api.add_router("", places.router)


def _refused(request, error, status, body):
    response = api.create_response(request, body, status=status)
    response["Link"] = licence_link()
    return response


@api.exception_handler(Refused)
def refused(request, error):
    return _refused(request, error, 400, error.body)


@api.exception_handler(Http404)
@in_french
def not_found(request, error):
    return _refused(request, error, 404, {"detail": _("Nothing is published at this address.")})


@api.exception_handler(ValidationError)
@in_french
def invalid(request, error):
    # 400 like the filters' own refusals, with the parameter named: {"errors": {"limit": ["…"]}}.
    errors = {}
    for item in error.errors:
        name = str(item.get("loc", ["", "?"])[-1])
        errors.setdefault(name, []).append(item.get("msg", ""))
    return _refused(request, error, 400, {"detail": _("Some parameters are not valid."), "errors": errors})
