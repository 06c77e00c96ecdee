"""A region's casework settings are created with the region (`region_create`, the demo)."""

from __future__ import annotations

from django.db import transaction

from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, record, snapshot
from brugwerk.cases.models import CaseworkSettings
from brugwerk.regions.models import Region

SYSTEM_LABEL = "casework_settings_ensure"


def casework_settings_ensure(*, region: Region) -> CaseworkSettings:
    """The system setting up a region: its casework settings with their defaults, unless it has
    them already (then they are returned as they are). Called by `region_create` by name."""
    with transaction.atomic():
        settings, created = CaseworkSettings.objects.get_or_create(region=region)
        if created:
            record(actor=Actor(user=None), actor_label=SYSTEM_LABEL, event=AuditEvent.CREATE, subject=settings,
                   region_id=region.pk, changes=snapshot(settings))
    return settings
