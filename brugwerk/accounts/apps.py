from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "brugwerk.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from brugwerk.accounts import receivers  # noqa: F401  (login, logout, failed login, lockout)
        from brugwerk.accounts.selectors import current_region
        from brugwerk.core.http import set_region_resolver

        # `core.http.region_or_404` asks accounts which region a request works in.
        set_region_resolver(current_region)
