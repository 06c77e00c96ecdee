"""Named permission of time use (see brugwerk/access; docs/access.md). Time use has no record kind of
its own: each pillar's time is counted from that pillar's records (`cases.timescope.time_scope`)."""

from __future__ import annotations

from typing import Any

from brugwerk.access.permissions import Permission, holds
from brugwerk.access.policy import Principal
from brugwerk.access.registry import register_permission
from brugwerk.access.roles import BELEID_ROLE


def _counts_time(principal: Principal, region_id: int, obj: Any = None) -> bool:
    """Who counts time in the region (`cases.timescope.time_scope`): who oversees the pool's
    caseload, who sees the casework figures, who records contact moments (their own time)."""
    return any(
        holds(principal, name, region_id)
        for name in ("cases.view_caseload", "cases.view_figures", "cases.record_contacts")
    )


register_permission(Permission(
    "timeuse.view_overview", "The time spent per pillar (the widest the user may count).", test=_counts_time,
    main_for=BELEID_ROLE,
))
