"""Erase what the privacy notice says is not kept: run it daily (docs/moderation.md)."""

from localdir.daily import DailyCommand
from localdir.retention import purge_others
from moderation import retention


class Command(DailyCommand):
    help = (
        "Delete refused submissions (new listings and edits) older than MODERATION_RETENTION_DAYS with their photos, "
        "blank the email of handled error reports, delete revoked private links and photos kept for forms never "
        "sent again after 24 hours; and what other apps registered (email alerts never confirmed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be erased; change nothing.")

    def handle(self, dry_run, **options):
        result = retention.purge(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{result.rejected_listings} rejected listings, {result.forgotten_listings} listings hidden unconfirmed "
            f"and {result.refused_revisions} refused edits older than {retention.retention_days()} days {verb} "
            f"deleted, with {result.photos} photos."
        )
        self.stdout.write(f"{result.report_emails} handled error reports' emails {verb} blanked.")
        self.stdout.write(f"{result.edit_tokens} revoked private links {verb} deleted.")
        self.stdout.write(f"{result.kept_photos} photos kept for forms never sent again {verb} deleted.")
        # The other apps' rules (the email alerts' addresses…), registered with localdir.retention.
        for line in purge_others(dry_run=dry_run):
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing changed.")
