from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "brugwerk.network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from brugwerk.network.selectors import contact_points_by_organisation
        from brugwerk.regions.school_page import SchoolSection, register_school_section

        # A school's page lists the contact points that answer for it (regions does not import network).
        register_school_section(SchoolSection(
            key="contact_points", context_name="contact_groups", order=20,
            template="network/partials/school_section.html",
            items=contact_points_by_organisation,
            audit_ids=lambda groups: [point.pk for group in groups for point in group.contact_points],
        ))
