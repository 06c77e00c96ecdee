from django.core.management.base import BaseCommand, CommandError

from brugwerk.audit.services import verify_chain


class Command(BaseCommand):
    help = "Check the audit trail's hash chain; exits non-zero when an entry was altered or removed."

    def handle(self, *args, **options):
        ok, count, problem = verify_chain()
        if not ok:
            raise CommandError(f"Audit trail is broken after {count} intact entries: {problem}.")
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {count} entries."))
