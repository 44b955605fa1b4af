"""Write the published listings' open data export (CSV or GeoJSON) to a file or standard output."""

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from producers import exports
from producers.models import Listing


class Command(BaseCommand):
    help = "Export the published listings (all of France, or one department) as CSV or GeoJSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "geojson"], default="csv")
        parser.add_argument("--department", help="A department code, e.g. 49 or 2A.")
        parser.add_argument("--output", "-o", help="File to write (default: standard output).")

    def handle(self, format, department, output, **options):
        queryset = Listing.objects.published()
        if department:
            queryset = queryset.filter(department__code=department.upper())
        if format == "csv":
            chunks = exports.csv_lines(queryset)
        else:
            chunks = exports.geojson_chunks(queryset, timezone.localtime(timezone.now()).replace(microsecond=0))
        stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            for chunk in chunks:
                stream.write(chunk)
        finally:
            if output:
                stream.close()
