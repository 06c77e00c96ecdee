"""Write the table of named permissions into docs/access.md (or, with --check, fail when it differs)."""

from django.core.management.base import BaseCommand, CommandError

from brugwerk.access.docs import DOCS, documented_block, permissions_table, with_table


class Command(BaseCommand):
    help = "Write the named permissions of the access registry into docs/access.md."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only check; fail when the page is behind.")

    def handle(self, *args, check: bool = False, **options):
        text = DOCS.read_text(encoding="utf-8")
        if documented_block(text) is None:
            raise CommandError(f"{DOCS} has no <!-- permissions:start --> ... <!-- permissions:end --> block.")
        if check:
            if documented_block(text) != permissions_table():
                raise CommandError("docs/access.md is behind the registry: run manage.py access_docs.")
            return
        DOCS.write_text(with_table(text), encoding="utf-8")
        self.stdout.write(f"Wrote the permissions table into {DOCS}.")
