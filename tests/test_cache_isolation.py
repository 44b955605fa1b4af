"""Each test starts with an empty cache, even after a test that opened a streamed response and never read it (so
that its request never finished): the two tests run in this order."""

from localdir.cache import cached_data


def test_a_streamed_export_left_unread_caches_something(client, db):
    response = client.get("/export/activites.geojson")
    assert response.streaming
    assert cached_data("isolation", lambda: "from the first test") == "from the first test"


def test_the_next_test_sees_its_own_data(db):
    assert cached_data("isolation", lambda: "from the second test") == "from the second test"
