"""Conditional requests: Django's ConditionalGetMiddleware, answering HEAD as it answers GET."""

import copy

from django.middleware.http import ConditionalGetMiddleware as DjangoConditionalGetMiddleware


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """ETag and 304 for HEAD too: a reverse proxy revalidating its copy with HEAD and If-None-Match gets a 304.

    Django leaves HEAD out, reckoning its body empty. Our views render the same body for HEAD as for GET (the WSGI
    server drops it on the way out), so the ETag is the GET's. A HEAD response that really has no body (or streams
    one) is left as it is: its ETag would not be the GET's.
    """

    def process_response(self, request, response):
        if request.method == "HEAD" and not response.streaming and response.content:
            # Django's reasoning, unchanged, about a GET; a 304 answers GET and HEAD alike.
            request = copy.copy(request)
            request.method = "GET"
        return super().process_response(request, response)
