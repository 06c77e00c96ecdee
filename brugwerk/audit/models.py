"""The audit trail: an append-only, hash-chained log of every read and change of personal data,
every export, login, failed login, role change and 2FA change.

Each entry carries the hash of the previous one, so altering or removing a row breaks the chain; the
hash is keyed with a secret that is not in the database (`brugwerk.audit.keys`), so the chain cannot be
recomputed from the database alone. `manage.py audit_verify` walks it and compares it with the
checkpoints written outside the database (`brugwerk.audit.checkpoints`). Rows are written only by
`brugwerk.audit.services.record`; on PostgreSQL a trigger refuses UPDATE and DELETE on the table.
"""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from brugwerk.audit.keys import keyed_hash

GENESIS_HASH = "0" * 64


class AuditEvent(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    LOGIN = "login", _("logged in")
    LOGOUT = "logout", _("logged out")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKED_OUT = "locked_out", _("locked out")
    ROLE_GRANTED = "role_granted", _("role granted")
    ROLE_REVOKED = "role_revoked", _("role revoked")
    OTP_ADDED = "otp_added", _("two-factor device added")
    OTP_REMOVED = "otp_removed", _("two-factor device removed")
    OTP_FAILED = "otp_failed", _("wrong two-factor code")


# Events about accounts, which the administrator (who never sees case content) may read.
ACCOUNT_EVENTS = frozenset(
    {
        AuditEvent.LOGIN,
        AuditEvent.LOGOUT,
        AuditEvent.LOGIN_FAILED,
        AuditEvent.LOCKED_OUT,
        AuditEvent.ROLE_GRANTED,
        AuditEvent.ROLE_REVOKED,
        AuditEvent.OTP_ADDED,
        AuditEvent.OTP_REMOVED,
        AuditEvent.OTP_FAILED,
    }
)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")


class AuditEntry(models.Model):
    seq = models.BigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("who")
    )
    actor_label = models.CharField(_("who"), max_length=160, blank=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("region")
    )
    event = models.CharField(_("action"), max_length=20, choices=AuditEvent.choices)
    subject_type = models.CharField(_("record kind"), max_length=60, blank=True)
    subject_id = models.CharField(_("record"), max_length=40, blank=True)
    subject_label = models.CharField(_("record"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True)
    changes = models.JSONField(_("details"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    # Not columns: set on the records a selector or view hands to a page (see where they are set).
    details_text: str

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["region", "seq"]),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor_label} {self.event} {self.subject_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def canonical(self) -> str:
        """The text the hash is taken over: every field but the hash itself."""
        return json.dumps(
            [
                self.seq,
                self.at.isoformat(timespec="microseconds"),
                self.actor_id,
                self.actor_label,
                self.region_id,
                self.event,
                self.subject_type,
                self.subject_id,
                self.subject_label,
                self.ip,
                self.changes,
                self.prev_hash,
            ],
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    def compute_hash(self, *, key: bytes | None = None) -> str:
        """HMAC-SHA256 of the canonical text under the audit key (the configured one unless given)."""
        return keyed_hash(self.canonical(), key=key)


class AuditHead(models.Model):
    """One row that holds the end of the chain. Writers lock it, so entries are chained one at a time
    on PostgreSQL (row lock) and SQLite (write lock) alike."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self) -> str:
        return f"audit head #{self.seq}"
