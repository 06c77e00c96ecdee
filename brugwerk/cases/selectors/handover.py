"""Reads of casework for the handover pages: the consents a case can share under, the contact points
a referral out can go to (those that answer for the case's school first), the guidance team's view
of one referral out, and the shared snapshot in a shape templates can show."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from brugwerk.access import Action, get_object_or_404, scope
from brugwerk.audit.reads import on_page, record_read
from brugwerk.cases.models import Case, Consent, ReferralFeedback, ReferralOut
from brugwerk.network.models import ContactPoint, PartnerOrganisation
from brugwerk.network.selectors import contact_points_for, contact_points_of
from brugwerk.regions.models import School

if TYPE_CHECKING:
    from brugwerk.accounts.models import User

def case_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> Case:
    """One case the user may see (404 otherwise), with what the handover pages show of it; the read
    is recorded for the page."""
    case = get_object_or_404(
        user,
        Case.objects.select_related("region", "young_person", "young_person__school", "school", "lead"),
        action,
        pk=pk,
    )
    record_read(user=user, subject=case, details=on_page())
    return case


def case_school(case: Case) -> School | None:
    return case.school or case.young_person.school


def standing_consents(*, user: User, case: Case, purpose: str) -> QuerySet[Consent]:
    """The consents of the case for `purpose` that have not been withdrawn, newest first: nothing
    can be shared under any other."""
    return (
        scope(user, Consent)
        .filter(case=case, purpose=purpose, withdrawn_at__isnull=True)
        .select_related("organisation")
        .order_by("-given_on", "-pk")
    )


def consent_of_case(*, user: User, case: Case, pk: Any, known: Iterable[Consent] = ()) -> Consent:
    """A consent of this case, standing or withdrawn (the service says why a withdrawn one cannot
    be used); 404 for anything else, also for an id that is not a number. One of `known` (consents
    of the case the user was given already) is taken from there. The page's read of the case names
    the consent."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    consent = next((c for c in known if c.pk == pk and c.case_id == case.pk), None) or get_object_or_404(
        user, Consent.objects.filter(case=case).select_related("organisation"), Action.VIEW, pk=pk
    )
    record_read(user=user, subject=case, details=on_page(consent=consent.pk))
    return consent


def consent_get(*, user: User, pk: Any, action: Action = Action.VIEW) -> Consent:
    """One consent (404 otherwise), its read recorded naming its case."""
    consent = get_object_or_404(
        user,
        Consent.objects.select_related("case__young_person", "case__region", "organisation", "withdrawn_by"),
        action,
        pk=pk,
    )
    record_read(user=user, subject=consent, details={"case": consent.case_id})
    return consent


def referrals_under(*, user: User, consent: Consent) -> list[ReferralOut]:
    """The referrals out that shared under this consent (what a partner stops seeing when it is
    withdrawn); the read of the consent names them."""
    referrals = list(
        scope(user, ReferralOut)
        .filter(consent=consent)
        .select_related("organisation", "contact_point")
        .order_by("-sent_at", "-pk")
    )
    record_read(user=user, subject=consent, details={"referrals_out": [r.pk for r in referrals]})
    return referrals


@dataclass(frozen=True)
class ContactPointChoices:
    """The contact points of one organisation a referral out can go to: those that answer for the
    case's school first (its own, else its municipality's, else its zone's), then the others."""

    for_school: list[ContactPoint]
    others: list[ContactPoint]

    @property
    def all(self) -> list[ContactPoint]:
        return [*self.for_school, *self.others]


def recipient_contact_points(*, user: User, case: Case, organisation: PartnerOrganisation) -> ContactPointChoices:
    school = case_school(case)
    first: list[ContactPoint] = []
    if school:
        first += contact_points_for(user=user, school=school, organisation=organisation)
    first_ids = {point.pk for point in first}
    others = [point for point in contact_points_of(user=user, organisation=organisation) if point.pk not in first_ids]
    return ContactPointChoices(for_school=first, others=others)


@dataclass
class TeamReferral:
    referral: ReferralOut
    feedback: list[ReferralFeedback] = field(default_factory=list)


def referral_out_for_team(*, user: User, pk: Any) -> TeamReferral:
    """One referral out as the guidance team and the coordinator see it, with its feedback. A
    partner, who may see the referral itself, does not see the case behind it: 404 for them."""
    referrals = ReferralOut.objects.filter(case__in=scope(user, Case)).select_related(
        "case__young_person", "case__region", "organisation", "contact_point", "consent", "consent__withdrawn_by",
        "sent_by", "acknowledged_by",
    )
    referral = get_object_or_404(user, referrals, Action.VIEW, pk=pk)
    record_read(
        user=user, subject=referral, details={"case": referral.case_id, "shared_fields": list(referral.shared_fields)}
    )
    feedback = list(
        scope(user, ReferralFeedback)
        .filter(referral_out=referral)
        .select_related("given_by")
        .order_by("given_at", "pk")
    )
    return TeamReferral(referral=referral, feedback=feedback)


def readable_snapshot(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The shared values as stored (dates as ISO text), with dates turned back into dates so that
    templates show them in the reader's format. Only what the snapshot holds."""
    values = dict(snapshot)
    if values.get("birth_date"):
        values["birth_date"] = _as_date(values["birth_date"])
    if values.get("goals"):
        values["goals"] = [goal | {"target_date": _as_date(goal.get("target_date"))} for goal in values["goals"]]
    if isinstance(values.get("summary"), dict) and values["summary"].get("opened_on"):
        values["summary"] = values["summary"] | {"opened_on": _as_date(values["summary"]["opened_on"])}
    return values


def _as_date(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None

