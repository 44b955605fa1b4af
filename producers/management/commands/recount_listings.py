"""Count again the published listings of every department and commune: `manage.py recount_listings`, daily.

Each publication and withdrawal recounts the counts it changes (producers.signals), but a change that bypasses
save() (`QuerySet.update()` in a shell, a data fix) or a recount that failed after its commit (it is only logged)
leaves a stored count wrong: the home page's figures and the national list's count (/carte/) read them. This
repairs them, and on PostgreSQL the category ids stored on each listing's row for the category filter (migration
0020); running it twice changes nothing the second time.
"""

from localdir.cache import invalidate_public_pages
from localdir.daily import DailyCommand
from producers import counts


class Command(DailyCommand):
    help = "Recount the published listings of every department and commune (the stored counts)."

    def handle(self, *args, **options):
        changed = counts.recount_all()
        categories = counts.repair_category_ids()
        if changed or categories:
            invalidate_public_pages()  # the cached departments and pages showed the old counts
        if options["verbosity"]:
            self.stdout.write(f"{changed} stored counts corrected.")
            if categories:
                self.stdout.write(f"{categories} listings' stored category ids corrected.")
