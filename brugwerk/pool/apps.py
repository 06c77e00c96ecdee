from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoolConfig(AppConfig):
    name = "brugwerk.pool"
    verbose_name = _("Pool")

    def ready(self) -> None:
        from brugwerk.pool.selectors import pool_members_serving
        from brugwerk.regions.school_page import SchoolSection, register_school_section

        # A school's page lists the bridge figures who serve it (regions does not import pool).
        register_school_section(SchoolSection(
            key="pool_members", context_name="pool_members", template="pool/partials/school_section.html", order=10,
            items=pool_members_serving,
            audit_ids=lambda members: [member.pk for member in members],
        ))
