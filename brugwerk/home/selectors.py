"""What each role's start page shows first."""

from typing import Any

from brugwerk.regions.models import Region


def start_page_for(*, user: Any, region: Region | None, roles: frozenset[str]) -> dict[str, Any]:
    return {"region": region, "roles": roles}
