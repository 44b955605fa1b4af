"""What a client receives: the whole body, streamed or not, and decompressed."""

import gzip


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def gunzipped(response):
    """The body a browser reads from a gzip-compressed response (fails if the response is not compressed)."""
    assert response["Content-Encoding"] == "gzip"
    compressed = body(response)
    assert compressed[:2] == b"\x1f\x8b"  # gzip's magic number: the bytes sent really are compressed
    return gzip.decompress(compressed)
