from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from brugwerk.audit.checkpoints import checkpoint_path
from brugwerk.audit.services import AuditChainBroken, checkpoint_mail, checkpoint_write


class Command(BaseCommand):
    help = (
        "Append the head of the audit chain, sealed with the audit key, as one JSON line to the checkpoint "
        "file, and mail it to the data-protection officer when BRUGWERK_DPO_EMAIL is set. Checks the chain "
        "since the previous checkpoint first, and writes nothing when it does not verify."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint-file", help="File to append to; default BRUGWERK_AUDIT_CHECKPOINT_FILE."
        )
        parser.add_argument("--no-mail", action="store_true", help="Do not mail the data-protection officer.")

    def handle(self, *args, **options):
        path = checkpoint_path(options["checkpoint_file"])
        if path is None:
            raise CommandError("No checkpoint file: set BRUGWERK_AUDIT_CHECKPOINT_FILE or pass --checkpoint-file.")
        try:
            checkpoint = checkpoint_write(path=path)
        except AuditChainBroken as exc:
            raise CommandError(f"No checkpoint written: the audit trail does not verify: {exc}.") from exc
        except OSError as exc:
            raise CommandError(f"No checkpoint written to {path}: {exc}.") from exc
        self.stdout.write(self.style.SUCCESS(f"Audit checkpoint written to {path}: {checkpoint.describe()}."))
        dpo = settings.BRUGWERK_DPO_EMAIL
        if dpo and not options["no_mail"]:
            try:
                checkpoint_mail(checkpoint=checkpoint, to=dpo)
            except OSError as exc:  # smtplib's errors are OSErrors
                raise CommandError(f"Checkpoint written, but not mailed to {dpo}: {exc}.") from exc
            self.stdout.write(f"Mailed to the data-protection officer at {dpo}.")
