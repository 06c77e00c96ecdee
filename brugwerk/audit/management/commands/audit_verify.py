from django.core.management.base import BaseCommand, CommandError

from brugwerk.audit.checkpoints import checkpoint_path, read_checkpoints
from brugwerk.audit.services import check_chain

SHOWN_PROBLEMS = 10


class Command(BaseCommand):
    help = (
        "Check the audit trail: recompute its keyed hash chain and compare it with every checkpoint written "
        "outside the database. Exits non-zero when an entry was altered or removed, or a checkpoint does not hold."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint-file",
            help="File of checkpoints (JSON lines) to check against; default BRUGWERK_AUDIT_CHECKPOINT_FILE.",
        )
        parser.add_argument(
            "--require-checkpoints", action="store_true",
            help="Fail when there is no checkpoint to check against (the file is missing or empty).",
        )

    def handle(self, *args, **options):
        path = checkpoint_path(options["checkpoint_file"])
        checkpoints, file_problems = read_checkpoints(path) if path else ([], [])
        if options["require_checkpoints"] and not checkpoints and not file_problems:
            where = path or "BRUGWERK_AUDIT_CHECKPOINT_FILE (not set)"
            raise CommandError(f"Audit trail not checked against checkpoints: there are none in {where}.")

        result = check_chain(checkpoints=checkpoints)
        if result.problem:
            raise CommandError(f"Audit trail is broken after {result.count} intact entries: {result.problem}.")
        problems = file_problems + result.checkpoint_problems
        if problems:
            shown = "; ".join(problems[:SHOWN_PROBLEMS])
            more = f" (and {len(problems) - SHOWN_PROBLEMS} more)" if len(problems) > SHOWN_PROBLEMS else ""
            raise CommandError(
                f"Audit trail does not match the checkpoints in {path}: {shown}{more}. "
                f"The chain itself verifies with the audit key ({result.count} entries), so it was rewritten "
                "by someone who holds the key, or the checkpoint file was tampered with."
            )

        if checkpoints:
            last = max(checkpoints, key=lambda c: c.seq)
            tail = f"{len(checkpoints)} of {len(checkpoints)} checkpoints in {path} hold (the last: {last.describe()})."
        elif path:
            tail = f"no checkpoints in {path} yet: only the audit key protects the chain."
        else:
            tail = "no checkpoint file is configured: only the audit key protects the chain."
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {result.count} entries; {tail}"))
