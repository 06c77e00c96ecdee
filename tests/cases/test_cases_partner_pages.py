"""The partner's pages: the referrals to their organisation, one referral with exactly the consented
snapshot, confirming receipt and giving feedback. A partner sees only their own organisation's
referrals, only while the consent stands, and every read is audited."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from brugwerk.access.roles import Role
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.cases.models import (
    ConsentGiver,
    ConsentPurpose,
    FeedbackStatus,
    ReferralFeedback,
    ReferralOut,
    ReferralOutStatus,
)
from brugwerk.cases.services import consent_record, consent_withdraw, referral_out_send
from tests import factories as f
from tests import factories_cases as fc
from tests.conftest import client_for

INBOX = reverse("cases:partner_inbox")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def case(world):
    case = fc.CaseFactory(
        region=world.region, lead=world.brugfiguur, school=world.school,
        young_person__first_name="Youssef", young_person__last_name="Benali",
        young_person__school=world.school, young_person__phone="0470 11 22 33",
    )
    fc.FamilyMemberFactory(young_person=case.young_person, name="Fatima Benali")
    fc.HelpQuestionFactory(case=case, description="Hulp bij de schooltoeslag.")
    return case


def refer(world, case, fields=("first_name", "school"), covered=("first_name", "school", "help_questions"),
          organisation=None, contact_point=None) -> ReferralOut:
    actor = Actor(user=world.brugfiguur)
    consent = consent_record(
        actor=actor, case=case, organisation=organisation or world.organisation, purpose=ConsentPurpose.REFERRAL,
        shared_fields=list(covered), given_by=ConsentGiver.YOUNG_PERSON, given_on=timezone.localdate(),
        method="verbal",
    )
    return referral_out_send(
        actor=actor, case=case, organisation=consent.organisation, consent=consent,
        contact_point=contact_point or (world.contact_point if organisation is None else None),
        question="Kan het JAC Youssef helpen met een studentenjob?", shared_fields=list(fields),
    )


def page(referral) -> str:
    return reverse("cases:partner_referral", args=[referral.pk])


def rows(response) -> dict[str, list[int]]:
    return {key: [row.pk for row in items] for key, _label, items in response.context["sections"]}


# --- The inbox ------------------------------------------------------------------------------------


def test_inbox_lists_only_their_organisations_referrals_by_stage(world, case):
    new = refer(world, case)
    acknowledged = fc.ReferralOutFactory(
        consent__case=case, consent__organisation=world.organisation, status=ReferralOutStatus.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
    )
    answered = fc.ReferralOutFactory(
        consent__case=case, consent__organisation=world.organisation, status=ReferralOutStatus.STARTED,
        last_feedback_at=timezone.now(),
    )
    other_org = f.PartnerOrganisationFactory(region=world.region, name="OCMW Kortrijk")
    refer(world, case, organisation=other_org)
    withdrawn = refer(world, case)
    consent_withdraw(actor=Actor(user=world.brugfiguur), consent=withdrawn.consent)
    foreign = fc.CaseFactory(region=world.other_region, lead=world.foreign_brugfiguur)
    fc.ReferralOutFactory(consent__case=foreign, consent__organisation=world.foreign_organisation)

    response = client_for(world.partner).get(INBOX)
    assert response.status_code == 200
    assert rows(response) == {"new": [new.pk], "acknowledged": [acknowledged.pk], "feedback_given": [answered.pk]}
    content = response.content.decode()
    assert "Youssef" in content and "Benali" not in content  # the last name was not shared
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="cases.referralout")
    assert entry.actor == world.partner and entry.region_id == world.region.pk
    assert sorted(entry.changes["referrals_out"]) == sorted([new.pk, acknowledged.pk, answered.pk])


def test_overdue_referrals_are_marked(world, case):
    late = refer(world, case)
    ReferralOut.objects.filter(pk=late.pk).update(sent_at=timezone.now() - datetime.timedelta(days=30))
    refer(world, case)
    response = client_for(world.partner).get(INBOX)
    overdue = [row.pk for _k, _l, items in response.context["sections"] for row in items if row.feedback_overdue]
    assert overdue == [late.pk] and response.context["overdue"] == 1
    assert "feedback overdue" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["brugfiguur", "coordinator", "schoolcontact", "beleid", "beheerder", "foreign_coordinator"]
)
def test_the_inbox_is_for_partners_only(world, persona):
    assert client_for(world.persona(persona)).get(INBOX).status_code == 404


def test_the_inbox_runs_a_constant_number_of_queries(world, case, django_assert_max_num_queries):
    client = client_for(world.partner)
    for _ in range(2):
        refer(world, case)
    client.get(INBOX)
    with django_assert_max_num_queries(20) as few:
        client.get(INBOX)
    for _ in range(13):
        referral = refer(world, case)
        fc.ReferralFeedbackFactory(referral_out=referral, given_by=world.partner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(INBOX)
    assert response.context["count"] == 15


# --- One referral ---------------------------------------------------------------------------------


def test_partner_sees_exactly_the_consented_snapshot(world, case):
    referral = refer(world, case, fields=("first_name", "school"))
    response = client_for(world.partner).get(page(referral))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Youssef" in content and "Sint-Amandscollege" in content and "studentenjob" in content
    for secret in ("Benali", "0470 11 22 33", "schooltoeslag", "Fatima"):
        assert secret not in content  # covered by the consent or not: not shared, not shown
    entry = AuditEntry.objects.get(event=AuditEvent.VIEW, subject_type="cases.referralout")
    assert entry.actor == world.partner and entry.subject_id == str(referral.pk)
    assert entry.changes == {"shared_fields": ["first_name", "school"]}


def test_the_snapshot_keeps_what_was_shared_when_sent(world, case):
    referral = refer(world, case, fields=("first_name",))
    case.young_person.first_name = "Yusuf"
    case.young_person.save()
    content = client_for(world.partner).get(page(referral)).content.decode()
    assert "Youssef" in content and "Yusuf" not in content


def test_another_partner_another_region_or_the_team_get_404(world, case):
    referral = refer(world, case)
    other_org = f.PartnerOrganisationFactory(region=world.region, name="OCMW Kortrijk")
    other_partner = f.user_with_role(Role.PARTNER, world.region, organisation=other_org)
    foreign_partner = f.user_with_role(Role.PARTNER, world.other_region, organisation=world.foreign_organisation)
    for user in (other_partner, foreign_partner, world.brugfiguur, world.coordinator, world.schoolcontact,
                 world.foreign_coordinator):
        client = client_for(user)
        assert client.get(page(referral)).status_code == 404
        assert client.post(reverse("cases:partner_acknowledge", args=[referral.pk])).status_code == 404
        feedback = client.post(reverse("cases:partner_feedback", args=[referral.pk]), {"status": "started"})
        assert feedback.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralOutStatus.SENT and not ReferralFeedback.objects.exists()


def test_after_withdrawal_the_partner_sees_and_does_nothing_of_it(world, case):
    referral = refer(world, case)
    client = client_for(world.partner)
    assert client.get(page(referral)).status_code == 200
    consent_withdraw(actor=Actor(user=world.brugfiguur), consent=referral.consent)
    assert client.get(page(referral)).status_code == 404
    assert rows(client.get(INBOX)) == {"new": [], "acknowledged": [], "feedback_given": []}
    assert client.post(reverse("cases:partner_acknowledge", args=[referral.pk])).status_code == 404
    response = client.post(reverse("cases:partner_feedback", args=[referral.pk]), {"status": "started"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralOutStatus.SENT and not ReferralFeedback.objects.exists()


# --- Acknowledging and feedback -------------------------------------------------------------------


def test_partner_acknowledges_a_referral(world, case):
    referral = refer(world, case)
    client = client_for(world.partner)
    url = reverse("cases:partner_acknowledge", args=[referral.pk])
    assert client.get(url).status_code == 405  # a link cannot acknowledge
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == page(referral)
    referral.refresh_from_db()
    assert referral.status == ReferralOutStatus.ACKNOWLEDGED and referral.acknowledged_by == world.partner
    entry = AuditEntry.objects.get(event=AuditEvent.UPDATE, subject_type="cases.referralout")
    assert entry.actor == world.partner and entry.changes["status"] == {"old": "sent", "new": "acknowledged"}
    again = client.post(url, follow=True)
    assert "acknowledged already" in again.content.decode()
    assert AuditEntry.objects.filter(event=AuditEvent.UPDATE, subject_type="cases.referralout").count() == 1


def test_partner_gives_feedback(world, case):
    referral = refer(world, case)
    client = client_for(world.partner)
    response = client.post(
        reverse("cases:partner_feedback", args=[referral.pk]),
        {"status": FeedbackStatus.WAITING_LIST, "note": "Wachttijd van drie weken."},
    )
    assert response.status_code == 302 and response["Location"] == page(referral)
    referral.refresh_from_db()
    feedback = ReferralFeedback.objects.get()
    assert referral.status == ReferralOutStatus.WAITING_LIST and referral.last_feedback_at == feedback.given_at
    assert feedback.given_by == world.partner and feedback.note == "Wachttijd van drie weken."
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.referralfeedback").exists()
    assert "Wachttijd van drie weken." in client.get(page(referral)).content.decode()
    team = client_for(world.brugfiguur).get(reverse("cases:referral_out_detail", args=[referral.pk]))
    assert "Wachttijd van drie weken." in team.content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"status": "not_possible", "note": ""}, "Zeg kort waarom het niet mogelijk is."),
        ({"status": "lost"}, "Selecteer een geldige keuze."),
        ({}, "Dit veld is verplicht."),
        ({"status": "started", "note": "x" * 2001}, "Zorg dat deze waarde niet meer dan 2000 tekens bevat"),
    ],
)
def test_bad_feedback_shows_a_dutch_error_and_changes_nothing(world, case, settings, data, error):
    settings.LANGUAGE_CODE = "nl"
    referral = refer(world, case)
    response = client_for(world.partner).post(reverse("cases:partner_feedback", args=[referral.pk]), data)
    assert response.status_code == 200 and error in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralOutStatus.SENT and not ReferralFeedback.objects.exists()
    assert not AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.referralfeedback").exists()


def test_no_feedback_after_the_referral_ended(world, case):
    referral = refer(world, case)
    client = client_for(world.partner)
    url = reverse("cases:partner_feedback", args=[referral.pk])
    client.post(url, {"status": FeedbackStatus.ENDED, "note": "Afgerond."})
    assert "This referral has ended." in client.get(page(referral)).content.decode()
    response = client.post(url, {"status": FeedbackStatus.STARTED})
    assert response.status_code == 200 and "no more feedback can be given" in response.content.decode()
    assert ReferralFeedback.objects.count() == 1
