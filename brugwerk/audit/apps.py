from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "brugwerk.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from brugwerk.audit import receivers  # noqa: F401  (login, logout, failed login, lockout)
