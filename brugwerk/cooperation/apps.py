from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "brugwerk.cooperation"
    verbose_name = _("Network and cooperation")
