"""Import listings from a CSV file (columns of docs/open-data.md). A dry run unless --commit."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from producers import imports


class Command(BaseCommand):
    help = "Check a CSV file of listings and, with --commit, import its valid rows (pending unless --publish)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="Write the valid rows (default: dry run).")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish the new listings (listings already in the directory keep their status).",
        )

    def handle(self, file, commit, publish, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(error) from error
        # The 5 MB limit protects the web server; a volunteer at the command line may import more.
        report = imports.read(imports.decode(data))
        for number, column, message in report.errors:
            self.stdout.write(f"row {number}\t{column or '-'}\t{message}")
        for row in report.valid_rows:
            self.stdout.write(f"row {row.number}\t{row.action}\t{', '.join(row.changes) or '-'}")
        if report.ignored_columns:
            self.stdout.write(f"ignored columns: {', '.join(report.ignored_columns)}")
        summary = (
            f"{len(report.rows)} rows: {report.count('create')} to create, {report.count('update')} to update, "
            f"{report.count('error')} with errors."
        )
        self.stdout.write(summary)
        if report.file_errors:
            raise CommandError("The file cannot be imported.")
        if not commit:
            self.stdout.write("Dry run: nothing written. Add --commit to import the valid rows.")
            return
        saved = report.save(publish=publish)
        self.stdout.write(self.style.SUCCESS(f"{saved} listings imported."))
