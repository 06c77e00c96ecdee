from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertiseConfig(AppConfig):
    name = "brugwerk.expertise"
    verbose_name = _("School-team expertise")
