"""A read replica (DATABASE_REPLICA_URL) serves the public pages' reads, and nothing else."""

from localdir.db_router import ReplicaRouter, reading_public_pages


def test_reads_go_to_the_replica_only_within_a_public_page():
    router = ReplicaRouter()
    assert router.db_for_read(None) == "default"
    with reading_public_pages():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) == "default"
    assert router.allow_migrate("default", "producers") and not router.allow_migrate("replica", "producers")


SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

assert settings.DATABASE_ROUTERS == ["localdir.db_router.ReplicaRouter"]
call_command("migrate", verbosity=0)
def count(url, **cookies):
    cache.clear()  # the page reads what it shows (a warm home page reads nothing: its data is cached)
    client = Client()
    for name, value in cookies.items():
        client.cookies[name] = value
    with CaptureQueriesContext(connections["default"]) as primary:
        with CaptureQueriesContext(connections["replica"]) as replica:
            assert client.get(url).status_code == 200, url
    return len(primary), len(replica)
print("home", *count("/"))
print("home with a session", *count("/", sessionid="x"))
print("sign-up form", *count("/inscrire/"))
"""


def test_a_public_page_reads_from_the_replica_and_a_form_from_the_primary(run_with_replica):
    output = run_with_replica(SCRIPT)
    counts = {line.rsplit(" ", 2)[0]: tuple(map(int, line.rsplit(" ", 2)[1:])) for line in output.splitlines()}
    primary, replica = counts["home"]
    assert primary == 0 and replica > 0
    primary, replica = counts["home with a session"]
    assert primary > 0 and replica == 0
    primary, replica = counts["sign-up form"]
    assert primary > 0 and replica == 0


GRID_SCRIPT = """
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext
from localdir.db_router import reading_public_pages
from producers.maps import grid
from tests.factories import ListingFactory

call_command("migrate", verbosity=0)
settings.MAP_GRID_SECONDS = 600
ListingFactory(latitude=47.47, longitude=-0.55)  # published
cache.clear()
with reading_public_pages():  # a map's data, asked by a visitor just after a publication
    with CaptureQueriesContext(connections["default"]) as primary:
        with CaptureQueriesContext(connections["replica"]) as replica:
            assert sum(cell["count"] for cell in grid.fine_cells(grid.FRANCE).values()) == 1
for name, queries in (("primary", primary), ("replica", replica)):
    print(name, sum("cell_x" in query["sql"] for query in queries))
"""


def test_the_maps_grid_is_counted_on_the_primary(run_with_replica):
    """The grid is kept for MAP_GRID_SECONDS under the generation of the latest publication: counted on a replica
    still behind it, it would miss the new listing that long."""
    counts = dict(line.split() for line in run_with_replica(GRID_SCRIPT).splitlines())
    assert counts == {"primary": "1", "replica": "0"}
