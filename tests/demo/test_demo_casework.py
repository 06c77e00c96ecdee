"""The demo's casework: every W13 brugfiguur has a varied caseload, the model invariants hold, a
second run adds nothing, and the Flanders-scale run gives generated regions casework in proportion
to their brugfiguren."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from brugwerk.agenda.models import Appointment, PresenceDay
from brugwerk.cases.models import (
    CONSENT_AGE,
    SHAREABLE_FIELDS,
    AgreedAction,
    Case,
    CaseShare,
    CaseStatus,
    CaseTransfer,
    Consent,
    ConsentGiver,
    ContactMoment,
    ContactType,
    FamilyMember,
    Goal,
    HelpQuestion,
    Referral,
    ReferralFeedback,
    ReferralOut,
    ReferralStatus,
    ShareableField,
    ShareKind,
    YoungPerson,
    age_on,
)
from brugwerk.cases.services import build_snapshot
from brugwerk.cases.services.disclosure import fields_disclosed_by
from brugwerk.demo import casework, flanders, w13
from brugwerk.network.models import PartnerType
from brugwerk.pool.models import PoolMember

pytestmark = pytest.mark.django_db

W13_BRUGFIGUREN = {p.username for p in w13.POOL}


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_every_w13_brugfiguur_has_open_and_closed_cases_with_a_full_file():
    run()
    cases = Case.objects.filter(region__slug=w13.SLUG)
    per_lead = {
        row["lead__username"]: row
        for row in cases.values("lead__username").annotate(
            open=Count("pk", filter=Q(status=CaseStatus.OPEN)), closed=Count("pk", filter=Q(status=CaseStatus.CLOSED))
        )
    }
    assert set(per_lead) == W13_BRUGFIGUREN
    for row in per_lead.values():
        assert 6 <= row["open"] + row["closed"] <= 10
        assert row["closed"] in (2, 3)
    for case in cases.exclude(status=CaseStatus.OPEN):
        assert case.close_reason and case.outcome and case.closed_on
    for case in cases.annotate(
        n_family=Count("young_person__family", distinct=True),
        n_questions=Count("help_questions", distinct=True),
        n_goals=Count("goals", distinct=True),
        n_contacts=Count("contacts", distinct=True),
    ):
        assert 1 <= case.n_family <= 3
        assert 1 <= case.n_questions <= 3
        assert case.n_goals == case.n_questions
        assert 3 <= case.n_contacts <= 15
        assert 12 <= age_on(case.young_person.birth_date, datetime.date.today()) <= 18
        assert case.young_person.languages and case.young_person.grade
        assert case.referral.status == (
            ReferralStatus.IN_PROGRESS if case.status == CaseStatus.OPEN else ReferralStatus.CLOSED
        )
    assert AgreedAction.objects.filter(case__region__slug=w13.SLUG).exists()
    contacts = ContactMoment.objects.filter(region__slug=w13.SLUG, case__isnull=False)
    assert contacts.filter(contact_type=ContactType.HOME_VISIT).exists()
    assert contacts.filter(interpreter=True).exists()
    assert contacts.filter(note_private=True).exists()
    assert contacts.values("contact_type").distinct().count() >= 5


def test_w13_demo_has_referrals_consents_sharing_a_transfer_and_an_agenda():
    run()
    region = Q(region__slug=w13.SLUG)
    school_statuses = set(
        Referral.objects.filter(region, referred_by__username="school").values_list("status", flat=True)
    )
    assert {ReferralStatus.RECEIVED, ReferralStatus.IN_PROGRESS, ReferralStatus.REFUSED} <= school_statuses
    assert len(school_statuses) >= 4
    waiting = Referral.objects.filter(region, status__in=[ReferralStatus.RECEIVED, ReferralStatus.WAITING])
    assert waiting.count() >= len(W13_BRUGFIGUREN) and not waiting.filter(case__isnull=False).exists()
    assert Referral.objects.filter(region, source="direct").exists()

    outs = ReferralOut.objects.filter(case__region__slug=w13.SLUG)
    assert {PartnerType.CAW, PartnerType.CLB} == {o.organisation.type for o in outs}
    assert outs.filter(feedback__isnull=False).exists()
    assert outs.filter(feedback__isnull=True, status="sent").exists()  # overdue: no answer yet
    assert ReferralFeedback.objects.filter(referral_out__in=outs, given_by__username="caw").exists()

    shares = CaseShare.objects.filter(case__region__slug=w13.SLUG)
    assert sorted(shares.values_list("kind", flat=True)) == [ShareKind.CO_GUIDANCE, ShareKind.STAND_IN]
    assert all(s.user_id != s.case.lead_id for s in shares)
    transfer = CaseTransfer.objects.get(case__region__slug=w13.SLUG)
    assert transfer.from_school != transfer.to_school and transfer.from_lead != transfer.to_lead

    low = ContactMoment.objects.filter(region, case__isnull=True)
    assert set(low.values_list("brugfiguur__username", flat=True)) == W13_BRUGFIGUREN
    assert low.filter(first_name="").exists() and low.exclude(first_name="").exists()
    served = PoolMember.schools.through.objects.filter(poolmember__region__slug=w13.SLUG).count()
    assert PresenceDay.objects.filter(region).count() == served
    assert set(Appointment.objects.filter(region).values_list("brugfiguur__username", flat=True)) == W13_BRUGFIGUREN


def test_demo_consents_and_referrals_out_respect_the_invariants():
    run()
    consents = Consent.objects.select_related("case__young_person")
    assert consents.filter(given_by=ConsentGiver.YOUNG_PERSON).exists()
    for consent in consents:
        if consent.given_by == ConsentGiver.YOUNG_PERSON:
            assert age_on(consent.case.young_person.birth_date, consent.given_on) >= CONSENT_AGE
    for out in ReferralOut.objects.select_related("consent"):
        assert out.organisation_id == out.consent.organisation_id and out.consent.case_id == out.case_id
        assert set(out.shared_fields) <= set(out.consent.shared_fields)
        assert set(out.shared_snapshot) == set(out.shared_fields)
        assert out.contact_point.organisation_id == out.organisation_id


def test_no_demo_referral_out_asks_with_data_it_does_not_share():
    """Issue 8, finding 10: the demo's questions to partners keep to what each referral shares, by
    the same check that refuses a real one (`disclosure.fields_disclosed_by`)."""
    run()
    outs = list(ReferralOut.objects.select_related("case__young_person", "case__school", "case__lead", "consent"))
    assert any(ShareableField.HELP_QUESTIONS not in out.shared_fields for out in outs)  # the kind that leaked
    for out in outs:
        values = build_snapshot(out.case, SHAREABLE_FIELDS)
        assert fields_disclosed_by(out.question, values=values, shared=out.shared_fields) == [], out.question
        assert set(out.shared_fields) <= set(out.consent.shared_fields)


def test_a_second_demo_run_adds_no_casework():
    run()
    models = [
        YoungPerson,
        Case,
        FamilyMember,
        HelpQuestion,
        Goal,
        ContactMoment,
        Referral,
        Consent,
        ReferralOut,
        ReferralFeedback,
        CaseShare,
        CaseTransfer,
        Appointment,
        PresenceDay,
    ]
    before = {m: m.objects.count() for m in models}
    run()
    assert {m: m.objects.count() for m in models} == before


def test_a_small_flanders_run_gives_casework_in_proportion_to_the_brugfiguren():
    output = run("--scale", "flanders", "--regions", "1", "--casework-scale", "0.1")
    assert "Created" in output or "aangemaakt" in output
    generated = Case.objects.filter(region__slug__startswith=flanders.SLUG_PREFIX)
    leads = PoolMember.objects.filter(region__slug__startswith=flanders.SLUG_PREFIX).count()
    per_lead = round(casework.CASES_PER_BRUGFIGUUR * 0.1)
    assert generated.count() == leads * per_lead
    assert set(generated.values_list("lead", flat=True)) == set(
        PoolMember.objects.filter(region__slug__startswith=flanders.SLUG_PREFIX).values_list("user", flat=True)
    )
    contacts = ContactMoment.objects.filter(case__in=generated).count()
    assert 0.7 * casework.CONTACTS_PER_CASE < contacts / generated.count() < 1.3 * casework.CONTACTS_PER_CASE
    assert ContactMoment.objects.filter(region__slug__startswith=flanders.SLUG_PREFIX, case__isnull=True).exists()
    # W13 keeps its hand-made amounts.
    assert Case.objects.filter(region__slug=w13.SLUG).count() <= 10 * len(W13_BRUGFIGUREN)
    before = ContactMoment.objects.count()
    run("--scale", "flanders", "--regions", "1", "--casework-scale", "0.1")
    assert ContactMoment.objects.count() == before


def test_the_casework_scale_must_be_a_fraction():
    with pytest.raises(CommandError):
        run("--scale", "flanders", "--regions", "1", "--casework-scale", "1.5")
