from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "brugwerk.agenda"
    verbose_name = _("Agenda")

    def ready(self) -> None:
        from brugwerk.agenda.selectors import school_of_the_day
        from brugwerk.cases.selectors.contacts import register_school_of_the_day

        register_school_of_the_day(school_of_the_day)
