"""Records of the domains beyond casework, for the region-wide access tests.

Each module here belongs to one app and defines:

    MODELS: tuple of its model classes that have an access rule
    EXPECTED: dict[str, tuple[str, str, str, str, str, str]]
        its rows of the access matrix, keyed by model name (see tests/access/test_access_matrix.py;
        docs/access.md shows them)
    def records(region, *, school, organisation, contact_point, lead, colleague, newcomer, case) -> Records
        one saved record of each of its kinds in `region` (existing), a way to make an unsaved one
        for the create question (new), and texts that identify the region's records on a page (names).
        `lead` is a brugfiguur of the region (the records' author/organiser where they have one),
        `colleague` another brugfiguur, `newcomer` a user without any role, `case` a case led by `lead`.
    RECORD_URLS: list of (url name, function(side) -> kwargs) of pages about one record
    LIST_URLS: list of (url name, function(side) -> query string) of list pages
        where side[Model] is the region's record of that kind (tests/access/test_isolation.py's Side)
    ARGUMENTS (optional): {parameter name: function(side, selector) -> value} for the isolation test's
        calls of your selectors (start/end/region/school/... are there already)

tests/access/test_access_matrix.py and tests/access/test_isolation.py pick every module up."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from django.db import models


@dataclass
class Records:
    existing: dict[type[models.Model], models.Model]
    new: dict[type[models.Model], Callable[[], models.Model | None]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)

    def __getitem__(self, model: type[models.Model]) -> models.Model:
        return self.existing[model]


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
