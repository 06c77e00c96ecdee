"""Background tasks of the audit trail (Django's tasks framework, settings.TASKS).

`record` enqueues `write_checkpoint` after every BRUGWERK_AUDIT_CHECKPOINT_EVERY-th entry, so the file
of checkpoints grows between the scheduled `manage.py audit_checkpoint` runs (which also mail the data-
protection officer). It checks only the entries since the last checkpoint, so it stays cheap."""

from __future__ import annotations

import logging

from django.tasks import task

from brugwerk.audit.checkpoints import checkpoint_path

logger = logging.getLogger(__name__)


@task()
def write_checkpoint() -> int | None:
    """Append the head of the chain to the checkpoint file. Returns the checkpointed entry's number, or
    None when no file is configured or the chain does not verify (which is logged as an error)."""
    from brugwerk.audit.services import AuditChainBroken, checkpoint_write

    path = checkpoint_path()
    if path is None:
        return None
    try:
        return checkpoint_write(path=path).seq
    except AuditChainBroken as exc:
        logger.error("Audit checkpoint not written, the audit trail does not verify: %s", exc)
    except OSError as exc:
        logger.error("Audit checkpoint not written to %s: %s", path, exc)
    return None
