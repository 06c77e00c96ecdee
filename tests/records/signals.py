"""Signals to policy in the access matrix and the isolation tests (see tests/records/__init__.py).

The region's signal is one at school level about the matrix school, passed on to policy: so the
school contact's column is for a signal about their school, beleid's for one passed on to them. The
brugfiguur's column is for a signal recorded by a colleague, with evidence from a case the persona
does not guide; backing is asked of a backing by the asker (the service makes the actor the backer).
"""

from __future__ import annotations

from django.utils import timezone

from brugwerk.signals.models import (
    ResponseKind,
    Signal,
    SignalBacking,
    SignalEvidence,
    SignalLevel,
    SignalResponse,
    SignalStatus,
    SignalStatusChange,
    SignalTheme,
)
from tests.records import Records
from tests.signals.factories import (
    SignalBackingFactory,
    SignalEvidenceFactory,
    SignalFactory,
    SignalResponseFactory,
    SignalStatusChangeFactory,
)

MODELS = (SignalTheme, Signal, SignalBacking, SignalEvidence, SignalStatusChange, SignalResponse)

EXPECTED: dict[str, tuple[str, str, str, str, str, str]] = {
    # record kind                brugfiguur  coordinator  schoolcontact  partner  beleid  beheerder
    "SignalTheme":               ("V",       "V C U",     "V",           "V",     "V",    "V C U"),
    "Signal":                    ("V C",     "V C U",     "V",           "—",     "V",    "—"),
    "SignalBacking":             ("V C",     "V",         "—",           "—",     "—",    "—"),
    "SignalEvidence":            ("—",       "V C D",     "—",           "—",     "—",    "—"),
    "SignalStatusChange":        ("V",       "V C",       "V",           "—",     "V",    "—"),
    "SignalResponse":            ("V",       "V C",       "V C",         "—",     "V C",  "—"),
}  # fmt: skip


def records(region, *, school, organisation, contact_point, lead, colleague, newcomer, case) -> Records:
    today = timezone.localdate()
    theme, _ = SignalTheme.objects.get_or_create(region=region, name="vervoer en mobiliteit")
    title = f"Busabonnement te duur voor leerlingen ({region.slug})"
    signal = SignalFactory(
        region=region, theme=theme, title=title, description="Leerlingen missen de eerste les.",
        level=SignalLevel.SCHOOL, school=school, status=SignalStatus.PASSED_ON, passed_on_on=today,
        recorded_on=today, created_by=lead,
    )
    backing = SignalBackingFactory(signal=signal, brugfiguur=lead, backed_on=today)
    evidence = SignalEvidenceFactory(signal=signal, case=case, added_by=lead)
    change = SignalStatusChangeFactory(
        signal=signal, from_status=SignalStatus.DISCUSSED, to_status=SignalStatus.PASSED_ON, changed_on=today,
        changed_by=lead, minutes=30,
    )
    answer = f"De stad onderzoekt een goedkoper abonnement ({region.slug})"
    response = SignalResponseFactory(
        signal=signal, responder="Stadsbestuur", received_on=today, kind=ResponseKind.ANSWER, text=answer,
        recorded_by=lead,
    )
    return Records(
        existing={
            SignalTheme: theme, Signal: signal, SignalBacking: backing, SignalEvidence: evidence,
            SignalStatusChange: change, SignalResponse: response,
        },
        new={
            SignalTheme: lambda: SignalTheme(region=region, name="nieuw thema"),
            Signal: lambda: Signal(region=region, theme=theme, title="Nieuw", level=SignalLevel.REGION),
            SignalBacking: lambda: SignalBacking(signal=signal),
            SignalEvidence: lambda: SignalEvidence(signal=signal, case=case),
            SignalStatusChange: lambda: SignalStatusChange(signal=signal, to_status=SignalStatus.ANSWERED),
            SignalResponse: lambda: SignalResponse(signal=signal, responder="Gemeente"),
        },
        names=[title, answer],
    )


RECORD_URLS = [
    ("signals:signal_detail", lambda a: {"pk": a[Signal].pk}),
    ("signals:signal_update", lambda a: {"pk": a[Signal].pk}),
    ("signals:signal_back", lambda a: {"pk": a[Signal].pk}),
    ("signals:backing_withdraw", lambda a: {"pk": a[Signal].pk}),
    ("signals:evidence_add", lambda a: {"pk": a[Signal].pk}),
    ("signals:evidence_remove", lambda a: {"pk": a[SignalEvidence].pk}),
    ("signals:status_change", lambda a: {"pk": a[Signal].pk}),
    ("signals:response_create", lambda a: {"pk": a[Signal].pk}),
    ("signals:theme_update", lambda a: {"pk": a[SignalTheme].pk}),
]

LIST_URLS = [
    ("signals:signal_list", lambda a: f"?theme={a[SignalTheme].pk}&q=Busabonnement"),
    ("signals:policy_list", lambda a: ""),
    ("signals:theme_list", lambda a: ""),
    ("signals:signal_create", lambda a: ""),
    ("signals:theme_create", lambda a: ""),
]


# --- Helpers for tests/signals/test_signals_*.py ------------------------------------------------------------


def theme_of(region, name: str = "schoolkosten") -> SignalTheme:
    return SignalTheme.objects.get_or_create(region=region, name=name)[0]


def signal_of(region, author, *, title: str = "Schoolrekeningen te hoog", status: str = SignalStatus.RECORDED,
              level: str = SignalLevel.REGION, school=None, theme=None, **extra) -> Signal:
    """A signal written straight to the database (no service, no audit), with its author backing it."""
    today = timezone.localdate()
    passed = status in {SignalStatus.PASSED_ON, SignalStatus.ANSWERED, SignalStatus.ACTION_TAKEN}
    signal = SignalFactory(
        region=region, theme=theme or theme_of(region), title=title, description="Een knelpunt zonder namen.",
        level=level, school=school, status=status, recorded_on=today, created_by=author,
        passed_on_on=extra.pop("passed_on_on", today if passed else None), **extra,
    )
    SignalBackingFactory(signal=signal, brugfiguur=author, backed_on=today)
    SignalStatusChangeFactory(signal=signal, to_status=SignalStatus.RECORDED, changed_on=today, changed_by=author)
    return signal
