from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "brugwerk.learning"
    verbose_name = _("Learning")
