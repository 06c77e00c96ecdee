"""The pages of what leaves a case: recording and withdrawing consent, referring out under a consent
(only covered fields can be shared), the team's view of a referral out, and the handover summary
when a young person leaves the region."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.cases.models import Case, CaseStatus, Consent, ConsentGiver, ConsentPurpose, ReferralOut
from brugwerk.cases.services import case_handover_export, consent_record, consent_withdraw, referral_out_send
from tests import factories as f
from tests import factories_cases as fc
from tests.conftest import PERSONAS, client_for


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


def record_consent(world, case, purpose=ConsentPurpose.REFERRAL, fields=("first_name", "school", "help_questions"),
                   organisation=None) -> Consent:
    return consent_record(
        actor=Actor(user=world.brugfiguur), case=case, organisation=organisation or world.organisation,
        purpose=purpose, shared_fields=list(fields), given_by=ConsentGiver.YOUNG_PERSON,
        given_on=timezone.localdate(), method="verbal",
    )


def send(world, case, consent, fields=("first_name", "school")) -> ReferralOut:
    return referral_out_send(
        actor=Actor(user=world.brugfiguur), case=case, organisation=consent.organisation, consent=consent,
        contact_point=world.contact_point, question="Kan het JAC helpen?", shared_fields=list(fields),
    )


def writes():
    return AuditEntry.objects.filter(event__in=[AuditEvent.CREATE, AuditEvent.UPDATE, AuditEvent.EXPORT])


def consent_post(world, **overrides):
    data = {
        "organisation": world.organisation.pk, "purpose": "referral", "shared_fields": ["first_name", "school"],
        "given_by": "young_person", "given_by_name": "", "given_on": timezone.localdate().isoformat(),
        "method": "verbal",
    }
    return data | overrides


# --- Consent ------------------------------------------------------------------------------------


def test_lead_records_consent_per_recipient_and_purpose(world, case):
    url = reverse("cases:consent_create", args=[case.pk])
    client = client_for(world.brugfiguur)
    page = client.get(url + "?purpose=handover_summary")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Youssef is 15: presumed able to consent for themselves." in content
    assert page.context["form"]["purpose"].value() == "handover_summary"
    assert AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_id=str(case.pk)).exists()
    response = client.post(url, consent_post(world, shared_fields=["first_name", "help_questions"]))
    assert response.status_code == 302 and response["Location"] == reverse("cases:case_detail", args=[case.pk])
    consent = Consent.objects.get(case=case)
    assert consent.organisation == world.organisation and consent.purpose == ConsentPurpose.REFERRAL
    assert consent.shared_fields == ["first_name", "help_questions"] and consent.given_by_name == "Youssef Benali"
    assert writes().filter(event=AuditEvent.CREATE, subject_type="cases.consent").count() == 1


def test_bad_parameters_of_the_consent_page_are_harmless(world, case):
    url = reverse("cases:consent_create", args=[case.pk])
    response = client_for(world.brugfiguur).get(url, {"organisation": "abc", "purpose": "zzz"})
    assert response.status_code == 200 and response.context["form"]["organisation"].value() == "abc"
    assert client_for(world.brugfiguur).post(url, {}).context["form"].errors["organisation"]  # an empty form


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "brugfiguur"])
def test_only_the_guidance_team_records_consent(world, case, persona):
    response = client_for(world.persona(persona)).get(reverse("cases:consent_create", args=[case.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"shared_fields": []}, "Dit veld is verplicht."),
        ({"shared_fields": ["first_name", "bank_account"]}, "Selecteer een geldige keuze."),
        ({"given_by": "parent", "given_by_name": ""}, "Geef de naam van de ouder of voogd die toestemming gaf."),
        ({"given_on": "2999-01-01"}, "Toestemming kan niet in de toekomst gegeven worden."),
        ({"organisation": "999999"}, "Selecteer een geldige keuze."),
    ],
)
def test_bad_consent_input_shows_a_dutch_error_and_changes_nothing(world, case, settings, overrides, error):
    settings.LANGUAGE_CODE = "nl"
    response = client_for(world.brugfiguur).post(
        reverse("cases:consent_create", args=[case.pk]), consent_post(world, **overrides)
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Consent.objects.exists() and not writes().exists()


def test_a_child_under_twelve_cannot_consent_for_themselves(world, settings):
    settings.LANGUAGE_CODE = "nl"
    young = fc.CaseFactory(region=world.region, lead=world.brugfiguur, young_person__birth_date=fc.years_ago(10))
    response = client_for(world.brugfiguur).post(reverse("cases:consent_create", args=[young.pk]), consent_post(world))
    assert "Een kind jonger dan 12 kan niet zelf toestemming geven" in response.content.decode()
    assert not Consent.objects.exists()


def test_another_regions_organisation_cannot_be_chosen(world, case):
    client_for(world.brugfiguur).post(
        reverse("cases:consent_create", args=[case.pk]), consent_post(world, organisation=world.foreign_organisation.pk)
    )
    assert not Consent.objects.exists()


def test_withdrawing_consent_asks_for_confirmation_and_stops_sharing(world, case):
    consent = record_consent(world, case)
    referral = send(world, case, consent)
    url = reverse("cases:consent_withdraw", args=[consent.pk])
    client = client_for(world.brugfiguur)
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("cases:referral_out_detail", args=[referral.pk]) in page.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None  # a GET changes nothing
    assert client.post(url).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == world.brugfiguur
    assert writes().filter(event=AuditEvent.UPDATE, subject_type="cases.consent").count() == 1
    # The partner sees nothing of the referral any more...
    partner = client_for(world.partner)
    assert partner.get(reverse("cases:partner_referral", args=[referral.pk])).status_code == 404
    assert referral.pk not in [row.pk for row in partner.get(reverse("cases:partner_inbox")).context["sections"][0][2]]
    # ... and a new referral out under it is refused.
    response = client.post(
        reverse("cases:referral_out_create", args=[case.pk]) + f"?consent={consent.pk}",
        {"contact_point": world.contact_point.pk, "question": "Nog eens?", "shared_fields": ["first_name"]},
    )
    assert response.status_code == 200
    assert "This consent has been withdrawn" in response.content.decode()
    assert ReferralOut.objects.count() == 1


def test_withdrawing_twice_says_so(world, case):
    consent = record_consent(world, case)
    consent_withdraw(actor=Actor(user=world.brugfiguur), consent=consent)
    response = client_for(world.brugfiguur).post(reverse("cases:consent_withdraw", args=[consent.pk]))
    assert response.status_code == 200 and "has been withdrawn already" in response.content.decode()


@pytest.mark.parametrize("persona", ["coordinator", "brugfiguur"])
def test_the_team_and_coordinator_withdraw_also_after_closing(world, case, persona):
    consent = record_consent(world, case)
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_on=timezone.localdate(), close_reason="moved_away"
    )
    response = client_for(world.persona(persona)).post(reverse("cases:consent_withdraw", args=[consent.pk]))
    assert response.status_code == 302
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None


@pytest.mark.parametrize(
    "persona", ["brugfiguur2", "schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator"]
)
def test_others_cannot_withdraw_a_consent(world, case, persona):
    consent = record_consent(world, case)
    client = client_for(world.persona(persona))
    url = reverse("cases:consent_withdraw", args=[consent.pk])
    assert client.get(url).status_code == 404 and client.post(url).status_code == 404
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None


# --- Referral out ---------------------------------------------------------------------------------


def test_without_consent_the_page_asks_to_record_consent_first(world, case):
    response = client_for(world.brugfiguur).get(reverse("cases:referral_out_create", args=[case.pk]))
    content = response.content.decode()
    assert response.status_code == 200 and "Record consent first" in content
    assert reverse("cases:consent_create", args=[case.pk]) + "?purpose=referral" in content


def test_only_covered_fields_can_be_chosen(world, case):
    consent = record_consent(world, case, fields=("first_name", "school"))
    response = client_for(world.brugfiguur).get(reverse("cases:referral_out_create", args=[case.pk]))
    content = response.content.decode()
    assert response.status_code == 200 and response.context["consent"] == consent  # the only consent: chosen
    assert 'name="shared_fields" value="first_name"' in content
    assert "family and network (not covered by the consent)" in content
    widget = response.context["form"].fields["shared_fields"].widget
    assert widget.covered == {"first_name", "school"}
    assert content.count("disabled") == 8  # the eight fields it does not cover


def test_contact_points_of_the_school_come_first(world, case):
    record_consent(world, case)
    elsewhere = f.ContactPointFactory(
        organisation=world.organisation, school=world.other_school, person_name="Bert Elders"
    )
    form = client_for(world.brugfiguur).get(reverse("cases:referral_out_create", args=[case.pk])).context["form"]
    groups = form.fields["contact_point"].choices
    assert [pk for pk, _ in groups[1][1]] == [world.contact_point.pk]  # answers for the case's school
    assert [pk for pk, _ in groups[2][1]] == [elsewhere.pk]


def test_lead_refers_out_sharing_only_what_was_chosen(world, case, django_capture_on_commit_callbacks):
    consent = record_consent(world, case, fields=("first_name", "school", "help_questions"))
    client = client_for(world.brugfiguur)
    url = reverse("cases:referral_out_create", args=[case.pk]) + f"?consent={consent.pk}"
    data = {
        "contact_point": world.contact_point.pk, "question": "Kan het JAC helpen met de woonsituatie?",
        "shared_fields": ["first_name", "school"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        preview = client.post(url, data)  # first the partner's view of it: nothing sent yet
        assert preview.status_code == 200 and not ReferralOut.objects.exists()
        response = client.post(url, data | {"confirm": "1", "fingerprint": preview.context["fingerprint"]})
    referral = ReferralOut.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases:referral_out_detail", args=[referral.pk]
    )
    assert referral.shared_snapshot == {"first_name": "Youssef", "school": "Sint-Amandscollege"}
    assert referral.contact_point == world.contact_point and referral.consent == consent
    assert writes().filter(event=AuditEvent.CREATE, subject_type="cases.referralout").count() == 1


def test_a_forged_uncovered_field_is_refused(world, case, settings):
    settings.LANGUAGE_CODE = "nl"
    consent = record_consent(world, case, fields=("first_name",))
    response = client_for(world.brugfiguur).post(
        reverse("cases:referral_out_create", args=[case.pk]) + f"?consent={consent.pk}",
        {"contact_point": world.contact_point.pk, "question": "Vraag", "shared_fields": ["first_name", "family"]},
    )
    assert response.status_code == 200
    assert "De toestemming geldt niet voor" in response.content.decode()
    assert not ReferralOut.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"contact_point": "", "question": "Vraag"}, "Dit veld is verplicht."),
        ({"contact_point": "999999", "question": "Vraag"}, "Selecteer een geldige keuze."),
        ({"contact_point": "x", "question": "Vraag"}, "Selecteer een geldige keuze."),
        ({"question": "   "}, "Dit veld is verplicht."),
    ],
)
def test_bad_referral_input_shows_a_dutch_error_and_changes_nothing(world, case, settings, data, error):
    settings.LANGUAGE_CODE = "nl"
    consent = record_consent(world, case)
    data = {"contact_point": world.contact_point.pk, "shared_fields": ["first_name"]} | data
    response = client_for(world.brugfiguur).post(
        reverse("cases:referral_out_create", args=[case.pk]) + f"?consent={consent.pk}", data
    )
    assert response.status_code == 200 and error in response.content.decode()
    assert not ReferralOut.objects.exists()


def test_a_consent_for_another_purpose_or_case_cannot_be_used(world, case):
    handover = record_consent(world, case, purpose=ConsentPurpose.HANDOVER_SUMMARY)
    other_case = fc.CaseFactory(region=world.region, lead=world.brugfiguur)
    other_consent = record_consent(world, other_case)
    client = client_for(world.brugfiguur)
    url = reverse("cases:referral_out_create", args=[case.pk])
    response = client.post(url + f"?consent={handover.pk}", {"contact_point": world.contact_point.pk,
                                                            "question": "Vraag", "shared_fields": ["first_name"]})
    assert "This consent is for another purpose." in response.content.decode()
    assert client.get(url + f"?consent={other_consent.pk}").status_code == 404
    assert client.get(url + "?consent=abc").status_code == 404
    assert not ReferralOut.objects.exists()


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "brugfiguur"])
def test_only_the_guidance_team_refers_out(world, case, persona):
    record_consent(world, case)
    response = client_for(world.persona(persona)).get(reverse("cases:referral_out_create", args=[case.pk]))
    assert response.status_code == 404


def test_the_team_sees_a_referral_out_with_its_feedback(world, case):
    consent = record_consent(world, case)
    referral = send(world, case, consent)
    fc.ReferralFeedbackFactory(referral_out=referral, given_by=world.partner, note="Eerste gesprek op dinsdag.")
    url = reverse("cases:referral_out_detail", args=[referral.pk])
    for persona in ("brugfiguur", "coordinator"):
        response = client_for(world.persona(persona)).get(url)
        content = response.content.decode()
        assert response.status_code == 200
        assert "Eerste gesprek op dinsdag." in content and "Sint-Amandscollege" in content
        assert reverse("cases:consent_withdraw", args=[consent.pk]) in content
    views = AuditEntry.objects.filter(event=AuditEvent.VIEW, subject_type="cases.referralout")
    assert views.count() == 2 and views.first().changes["shared_fields"] == ["first_name", "school"]


@pytest.mark.parametrize(
    "persona", ["brugfiguur2", "schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator",
                "foreign_brugfiguur"]
)
def test_others_do_not_see_the_teams_page_of_a_referral_out(world, case, persona):
    referral = send(world, case, record_consent(world, case))
    response = client_for(world.persona(persona)).get(reverse("cases:referral_out_detail", args=[referral.pk]))
    assert response.status_code == 404


def test_the_team_page_runs_a_constant_number_of_queries(world, case, django_assert_max_num_queries):
    referral = send(world, case, record_consent(world, case))
    client = client_for(world.brugfiguur)
    url = reverse("cases:referral_out_detail", args=[referral.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    fc.ReferralFeedbackFactory.create_batch(12, referral_out=referral, given_by=world.partner)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["feedback"]) == 12


# --- Handover summary -----------------------------------------------------------------------------


def test_handover_summary_needs_a_consent_for_it(world, case):
    record_consent(world, case)  # for a referral, not for a handover summary
    response = client_for(world.brugfiguur).get(reverse("cases:handover_export", args=[case.pk]))
    content = response.content.decode()
    assert response.status_code == 200 and "Record consent first" in content
    assert "?purpose=handover_summary" in content
    assert not AuditEntry.objects.filter(event=AuditEvent.EXPORT).exists()


def test_handover_summary_holds_only_the_covered_fields_and_is_audited(world, case):
    consent = record_consent(world, case, purpose=ConsentPurpose.HANDOVER_SUMMARY, fields=("first_name", "family"))
    url = reverse("cases:handover_export", args=[case.pk])
    client = client_for(world.brugfiguur)
    assert client.get(url).status_code == 200
    assert not AuditEntry.objects.filter(event=AuditEvent.EXPORT).exists()
    response = client.get(url, {"consent": consent.pk})
    content = response.content.decode()
    assert "Youssef" in content and "Fatima Benali" in content
    assert "Benali</dd>" not in content and "Sint-Amandscollege" not in content
    assert "schooltoeslag" not in content and "0470 11 22 33" not in content
    export = AuditEntry.objects.get(event=AuditEvent.EXPORT)
    assert export.actor == world.brugfiguur and export.changes["handover_summary"] == ["first_name", "family"]
    download = client.get(url, {"consent": consent.pk, "download": "1"})
    assert download["Content-Disposition"] == f'attachment; filename="overdracht-{case.pk}.html"'
    assert "Fatima Benali" in download.content.decode() and "Sint-Amandscollege" not in download.content.decode()
    assert AuditEntry.objects.filter(event=AuditEvent.EXPORT).count() == 2


def test_a_withdrawn_handover_consent_gives_no_summary(world, case):
    consent = record_consent(world, case, purpose=ConsentPurpose.HANDOVER_SUMMARY)
    consent_withdraw(actor=Actor(user=world.brugfiguur), consent=consent)
    url = reverse("cases:handover_export", args=[case.pk])
    response = client_for(world.brugfiguur).get(url, {"consent": consent.pk})
    assert response.status_code == 200 and "Youssef" not in response.content.decode().split("<main")[1]
    assert not AuditEntry.objects.filter(event=AuditEvent.EXPORT).exists()


def test_the_coordinator_exports_too_but_a_colleague_does_not(world, case):
    consent = record_consent(world, case, purpose=ConsentPurpose.HANDOVER_SUMMARY)
    url = reverse("cases:handover_export", args=[case.pk])
    assert client_for(world.coordinator).get(url, {"consent": consent.pk}).status_code == 200
    for persona in ("brugfiguur2", "schoolcontact", "partner", "beleid", "beheerder", "foreign_coordinator"):
        assert client_for(world.persona(persona)).get(url, {"consent": consent.pk}).status_code == 404
    assert AuditEntry.objects.filter(event=AuditEvent.EXPORT).count() == 1


def test_a_sharer_sees_the_case_but_does_not_export(world, case):
    fc.CaseShareFactory(case=case, user=world.brugfiguur2, granted_by=world.brugfiguur,
                        starts_on=timezone.localdate() - datetime.timedelta(days=1))
    assert client_for(world.brugfiguur2).get(reverse("cases:handover_export", args=[case.pk])).status_code == 404


def test_the_export_service_refuses_without_a_consent(world, case):
    with pytest.raises(ValidationError) as error:
        case_handover_export(actor=Actor(user=world.brugfiguur), case=case, consent=None)
    assert "consent" in error.value.message_dict
    assert not AuditEntry.objects.filter(event=AuditEvent.EXPORT).exists()
