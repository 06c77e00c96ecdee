"""A region's casework settings, as the pages and reminders read them."""

from __future__ import annotations

from brugwerk.cases.models import CaseworkSettings
from brugwerk.regions.models import Region


def casework_settings(*, region: Region) -> CaseworkSettings:
    """The casework settings of `region`: its row, or the model's defaults when it has none (unsaved).
    Django keeps the answer (also "none") on the region object, so a request, which loads its region
    once (`current_region`), asks the database once however often it reads them; a region loaded with
    `select_related("casework_settings")` costs no query at all. Not personal data: no read is recorded."""
    try:
        return region.casework_settings
    except CaseworkSettings.DoesNotExist:
        defaults = CaseworkSettings()
        defaults.region_id = region.pk  # not `region=`: that would cache the unsaved row on the region
        return defaults
