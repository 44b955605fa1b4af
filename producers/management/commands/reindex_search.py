"""Rebuild every listing's search document: `manage.py reindex_search` (after changing producers/search/analysis.py)."""

from django.core.management.base import BaseCommand

from producers.models import Listing
from producers.search import reindex


class Command(BaseCommand):
    help = "Recompute the search stems of every listing."

    def handle(self, *args, **options):
        count = reindex(Listing.objects.all())
        if options["verbosity"]:
            self.stdout.write(f"{count} listings reindexed.")
