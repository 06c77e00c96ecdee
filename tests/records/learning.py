"""Learning's records for the region-wide access tests (see tests/records/__init__.py).

A brugfiguur's column is for a session they neither took part in, facilitated nor recorded (the
session is `lead`'s and `colleague`'s); their own sessions are in tests/learning/test_learning_access.py."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from brugwerk.cases.models import LifeDomain
from brugwerk.learning.models import (
    LearningKind,
    LearningSession,
    LearningTheme,
    LibraryItem,
    LibraryKind,
    SocialMapEntry,
)
from tests.learning.factories import (
    LearningSessionFactory,
    LearningThemeFactory,
    LibraryItemFactory,
    SocialMapEntryFactory,
)
from tests.records import Records

MODELS = (LearningTheme, LearningSession, LibraryItem, SocialMapEntry)

EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    # record kind                brugfiguur  coordinator  schoolcontact  partner  beleid  beheerder
    "LearningTheme":             ("V",       "V C U",     "V",           "V",     "V",    "V C U"),
    "LearningSession":           ("C",       "V C U",     "—",           "—",     "—",    "—"),
    "LibraryItem":               ("V C U",   "V C U",     "V",           "V",     "V",    "V"),
    "SocialMapEntry":            ("V C U",   "V C U",     "V",           "V",     "V",    "V"),
}  # fmt: skip


def records(region, *, school, organisation, contact_point, lead, colleague, newcomer, case) -> Records:
    slug = region.slug
    theme = LearningThemeFactory(region=region, name=f"armoede {slug}")
    domain, _ = LifeDomain.objects.get_or_create(region=region, name="onderwijs")
    session = LearningSessionFactory(
        region=region,
        kind=LearningKind.INTERVISION,
        date=timezone.localdate() - datetime.timedelta(days=7),
        duration_minutes=120,
        title=f"Intervisie {slug}",
        case_question="Een jongere uit het derde jaar spijbelt; de ouders zijn moeilijk bereikbaar.",
        learned="Eerst de band met de ouders herstellen.",
        recorded_by=lead,
        participants=[lead, colleague],
        themes=[theme],
    )
    item = LibraryItemFactory(
        region=region, kind=LibraryKind.PRACTICE, title=f"Oudercafé-aanpak {slug}",
        summary="Zo start je een oudercafé aan de schoolpoort.", author=lead, themes=[theme],
    )
    entry = SocialMapEntryFactory(
        region=region, municipality=school.municipality, service_name=f"Huiswerkklas {slug}",
        provider="vzw De Brug", offers="Huiswerkbegeleiding na school.", for_whom="Leerlingen secundair",
        phone="056 00 00 00", partner=organisation, added_by=lead, life_domains=[domain],
    )
    return Records(
        existing={LearningTheme: theme, LearningSession: session, LibraryItem: item, SocialMapEntry: entry},
        new={
            LearningTheme: lambda: LearningTheme(region=region, name="nieuw thema"),
            LearningSession: lambda: LearningSession(
                region=region, kind=LearningKind.COACHING, date=timezone.localdate(), duration_minutes=60,
                recorded_by=lead,
            ),
            LibraryItem: lambda: LibraryItem(region=region, kind=LibraryKind.TOOL, title="Nieuw", summary="?"),
            SocialMapEntry: lambda: SocialMapEntry(region=region, service_name="Nieuw", offers="?", for_whom="?"),
        },
        names=[f"Intervisie {slug}", f"Oudercafé-aanpak {slug}", f"Huiswerkklas {slug}", f"armoede {slug}"],
    )


RECORD_URLS = [
    ("learning:session_detail", lambda a: {"pk": a[LearningSession].pk}),
    ("learning:session_update", lambda a: {"pk": a[LearningSession].pk}),
    ("learning:library_detail", lambda a: {"pk": a[LibraryItem].pk}),
    ("learning:library_update", lambda a: {"pk": a[LibraryItem].pk}),
    ("learning:social_map_detail", lambda a: {"pk": a[SocialMapEntry].pk}),
    ("learning:social_map_update", lambda a: {"pk": a[SocialMapEntry].pk}),
    ("learning:theme_update", lambda a: {"pk": a[LearningTheme].pk}),
]

LIST_URLS = [
    ("learning:session_list", lambda a: ""),
    ("learning:session_list", lambda a: f"?kind=intervision&participant={a.subject.pk}"),
    ("learning:library_list", lambda a: ""),
    ("learning:library_list", lambda a: f"?q=Oudercafé&theme={a[LearningTheme].pk}"),
    ("learning:social_map_list", lambda a: ""),
    ("learning:social_map_list", lambda a: f"?q=Huiswerk&municipality={a[SocialMapEntry].municipality_id}"),
    ("learning:theme_list", lambda a: ""),
    ("learning:session_choose", lambda a: ""),
    ("learning:session_create", lambda a: f"?participants={a.subject.pk}"),
    ("learning:library_create", lambda a: ""),
    ("learning:social_map_create", lambda a: ""),
    ("learning:theme_create", lambda a: ""),
]


# --- Helpers for tests/learning/test_learning_*.py ----------------------------------------------------------


def make_session(region: Any, *, recorded_by: Any, participants: list[Any], kind: str = LearningKind.INTERVISION,
                 days_ago: int = 3, **fields: Any) -> LearningSession:
    defaults: dict[str, Any] = {
        "date": timezone.localdate() - datetime.timedelta(days=days_ago),
        "duration_minutes": 120,
    }
    if kind == LearningKind.INTERVISION:
        defaults["case_question"] = "Een leerling uit het vierde jaar komt vaak te laat; thuis is er veel zorg."
    return LearningSessionFactory(
        region=region, kind=kind, recorded_by=recorded_by, participants=participants, **(defaults | fields)
    )


def make_theme(region: Any, name: str = "armoede en schoolkosten", **fields: Any) -> LearningTheme:
    return LearningThemeFactory(region=region, name=name, **fields)


def make_item(region: Any, title: str = "Oudercafé aan de schoolpoort", **fields: Any) -> LibraryItem:
    defaults = {"kind": LibraryKind.PRACTICE, "summary": "Een laagdrempelig moment voor ouders."}
    return LibraryItemFactory(region=region, title=title, **(defaults | fields))


def make_entry(region: Any, service_name: str = "Huiswerkklas De Brug", **fields: Any) -> SocialMapEntry:
    defaults = {"offers": "Huiswerkbegeleiding na school.", "for_whom": "Leerlingen secundair", "phone": "056 11 22 33"}
    return SocialMapEntryFactory(region=region, service_name=service_name, **(defaults | fields))

# A route whose argument is a kind of session, not a record's id (tests/access/test_isolation.py).
PAGE_ARGUMENTS = {"learning:session_create": {"kind": "intervisie"}}
