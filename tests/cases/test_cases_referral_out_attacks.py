"""Issue 8, finding 10: free text must not take to the partner what the consent does not give them.

The attack: a referral out whose consent covers the name, the birth date and the school, with a
help question's text in "what is asked": the partner read the help question. Now sending is refused
with an error naming the fields, nothing is created and nobody is mailed; without that text it is
sent, and the partner's page shows no help question. Before sending, the brugfiguur sees the
partner's page of the referral exactly (the same selector and partial as the partner's own page)."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import Actor
from brugwerk.cases.models import ConsentGiver, ConsentPurpose, ReferralOut, YoungPerson
from brugwerk.cases.services import consent_record, consent_withdraw, referral_out_prepare, referral_out_send
from tests import factories_cases as fc
from tests.conftest import client_for

HELP_QUESTION = "Het gezin kan de schoolrekening en de uitstappen van dit schooljaar niet betalen."
NAME_BIRTH_SCHOOL = ["first_name", "last_name", "birth_date", "school"]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def case(world):
    case = fc.CaseFactory(
        region=world.region, lead=world.brugfiguur, school=world.school, young_person__school=world.school,
        young_person__first_name="Youssef", young_person__last_name="Benali",
        young_person__birth_date=fc.years_ago(15), young_person__phone="0470 11 22 33",
    )
    fc.HelpQuestionFactory(case=case, description=HELP_QUESTION)
    return case


def consent_for(world, case, fields):
    return consent_record(
        actor=Actor(user=world.brugfiguur), case=case, organisation=world.organisation,
        purpose=ConsentPurpose.REFERRAL, shared_fields=list(fields), given_by=ConsentGiver.YOUNG_PERSON,
        given_on=timezone.localdate(), method="verbal",
    )


def url_for(case, consent) -> str:
    return reverse("cases:referral_out_create", args=[case.pk]) + f"?consent={consent.pk}"


def data_for(world, question: str, fields=NAME_BIRTH_SCHOOL) -> dict:
    return {"contact_point": world.contact_point.pk, "question": question, "shared_fields": list(fields)}


def confirmed(data: dict, preview) -> dict:
    """The form's values as the preview sends them back, with its confirmation."""
    return data | {"confirm": "1", "fingerprint": preview.context["fingerprint"]}


def shared_section(html: str) -> str:
    """The "What was shared with you" card of the partner's view, as rendered."""
    match = re.search(r"What was shared with you</h2>(.*?)</div>", html, re.S)
    assert match, "the partner's view of what was shared is missing"
    return match.group(1)


# --- The attack -------------------------------------------------------------------------------------


def test_a_help_question_in_what_is_asked_is_refused_and_nothing_leaves(
    world, case, mailoutbox, django_capture_on_commit_callbacks
):
    consent = consent_for(world, case, NAME_BIRTH_SCHOOL)
    client = client_for(world.brugfiguur)
    question = f"Graag begeleiding voor: {HELP_QUESTION}"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url_for(case, consent), data_for(world, question))
        # Skipping the preview with a made-up confirmation changes nothing either.
        forged = client.post(url_for(case, consent), data_for(world, question) | {"confirm": "1", "fingerprint": "x"})
    for page in (response, forged):
        assert page.status_code == 200
        errors = page.context["form"].errors["question"]
        assert errors == ["The text holds data the consent does not cover: help questions. Take it out of the text."]
        assert "fingerprint" not in page.context  # no preview: there is nothing that may be sent
    assert not ReferralOut.objects.exists()
    assert callbacks == [] and mailoutbox == []
    with pytest.raises(ValidationError) as refused:
        referral_out_send(actor=Actor(user=world.brugfiguur), case=case, organisation=world.organisation,
                          question=question, consent=consent, shared_fields=NAME_BIRTH_SCHOOL,
                          contact_point=world.contact_point)
    assert list(refused.value.message_dict) == ["question"]
    assert not ReferralOut.objects.exists()


def test_without_the_help_question_it_is_sent_and_the_partner_sees_none(
    world, case, mailoutbox, django_capture_on_commit_callbacks
):
    consent = consent_for(world, case, NAME_BIRTH_SCHOOL)
    client = client_for(world.brugfiguur)
    data = data_for(world, "Kunnen jullie het gezin helpen met de schoolkosten?")
    with django_capture_on_commit_callbacks(execute=True):
        preview = client.post(url_for(case, consent), data)
        assert preview.status_code == 200 and not ReferralOut.objects.exists() and mailoutbox == []
        sent = client.post(url_for(case, consent), confirmed(data, preview))
    referral = ReferralOut.objects.get()
    assert sent.status_code == 302 and sent["Location"] == reverse("cases:referral_out_detail", args=[referral.pk])
    assert len(mailoutbox) == 1
    page = client_for(world.partner).get(reverse("cases:partner_referral", args=[referral.pk])).content.decode()
    assert "Youssef" in page and "Sint-Amandscollege" in page  # what the consent covers
    assert "schoolrekening" not in page and "uitstappen" not in page  # no help question
    # The preview showed exactly what the partner now sees.
    assert shared_section(preview.content.decode()) == shared_section(page)


def test_a_name_or_birth_date_the_consent_does_not_cover_is_refused(world, case):
    consent = consent_for(world, case, ["school", "help_questions"])
    birth = case.young_person.birth_date
    client = client_for(world.brugfiguur)
    for question, label in [
        ("Kan het JAC youssef helpen?", "first name"),
        (f"Geboren op {birth.day}/{birth.month}/{birth.year}; graag een gesprek.", "date of birth"),
        ("Bel gerust naar +32 470 11 22 33.", "contact details"),
    ]:
        response = client.post(url_for(case, consent), data_for(world, question, ["school", "help_questions"]))
        assert response.status_code == 200
        assert f"data the consent does not cover: {label}." in response.context["form"].errors["question"][0]
    assert not ReferralOut.objects.exists()


def test_covered_data_left_out_of_this_referral_must_stay_out_of_the_text_too(world, case):
    consent = consent_for(world, case, [*NAME_BIRTH_SCHOOL, "help_questions"])
    client = client_for(world.brugfiguur)
    question = f"Graag begeleiding voor: {HELP_QUESTION}"
    response = client.post(url_for(case, consent), data_for(world, question, NAME_BIRTH_SCHOOL))
    assert response.context["form"].errors["question"] == [
        "The text holds data you do not share with this referral: help questions. Take it out of the text, "
        "or share it."
    ]
    response = client.post(url_for(case, consent), data_for(world, question, [*NAME_BIRTH_SCHOOL, "help_questions"]))
    assert response.status_code == 200 and "fingerprint" in response.context  # shared: on to the preview
    assert not ReferralOut.objects.exists()


# --- The preview --------------------------------------------------------------------------------------


def test_the_preview_shows_exactly_the_covered_fields_and_sends_nothing(world, case, mailoutbox):
    consent = consent_for(world, case, ["first_name", "birth_date", "school"])
    client = client_for(world.brugfiguur)
    form = client.get(url_for(case, consent)).context["form"]
    chosen = form.initial["shared_fields"]
    assert chosen == ["first_name", "birth_date", "school"]  # what the consent covers, chosen by default
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = client.post(url_for(case, consent), data_for(world, "Graag een gesprek.", chosen))
    assert response.status_code == 200
    row = response.context["row"]
    assert set(row.shared) == {"first_name", "birth_date", "school"}
    assert row.question == "Graag een gesprek." and row.organisation == world.organisation.name
    html = shared_section(response.content.decode())
    birth = case.young_person.birth_date
    assert "Youssef" in html and "Sint-Amandscollege" in html and birth.strftime("%m/%d/%Y") in html
    for absent in ("Benali", "0470", "schoolrekening", "Last name", "Contact details", "Help questions"):
        assert absent not in html
    assert not ReferralOut.objects.exists() and mailoutbox == []
    entry = AuditEntry.objects.get(pk__gt=before, event=AuditEvent.VIEW, subject_type="cases.case")
    assert entry.subject_id == str(case.pk) and entry.changes["page"] == "referral_out_preview"
    assert sorted(entry.changes["shared_fields"]) == ["birth_date", "first_name", "school"]


def test_the_preview_uses_the_partner_selector_and_template(world, case):
    """Not a copy of the partner's page: the same row builder and the same partial."""
    consent = consent_for(world, case, NAME_BIRTH_SCHOOL)
    response = client_for(world.brugfiguur).post(url_for(case, consent), data_for(world, "Graag een gesprek."))
    assert "cases/partner/partials/referral_view.html" in [t.name for t in response.templates]
    prepared = referral_out_prepare(
        actor=Actor(user=world.brugfiguur), case=case, organisation=world.organisation, question="Graag een gesprek.",
        consent=consent, shared_fields=NAME_BIRTH_SCHOOL, contact_point=world.contact_point,
    )
    assert response.context["row"].shared == prepared.shared_snapshot
    assert prepared.pk is None and not ReferralOut.objects.exists()


def test_when_what_would_be_sent_changed_after_the_preview_it_is_shown_again_not_sent(world, case):
    consent = consent_for(world, case, NAME_BIRTH_SCHOOL)
    client = client_for(world.brugfiguur)
    data = data_for(world, "Graag een gesprek.")
    preview = client.post(url_for(case, consent), data)
    YoungPerson.objects.filter(pk=case.young_person_id).update(first_name="Yusuf")  # corrected meanwhile
    again = client.post(url_for(case, consent), confirmed(data, preview))
    assert again.status_code == 200 and again.context["changed"] is True
    assert "Yusuf" in shared_section(again.content.decode())
    assert not ReferralOut.objects.exists()
    client.post(url_for(case, consent), confirmed(data, again))
    assert ReferralOut.objects.get().shared_snapshot["first_name"] == "Yusuf"


def test_change_goes_back_to_the_form_with_what_was_written(world, case):
    consent = consent_for(world, case, NAME_BIRTH_SCHOOL)
    data = data_for(world, "Graag een gesprek over de schoolkosten.")
    response = client_for(world.brugfiguur).post(url_for(case, consent), data | {"edit": "1"})
    assert response.status_code == 200 and "fingerprint" not in response.context
    assert response.context["form"]["question"].value() == "Graag een gesprek over de schoolkosten."
    assert not ReferralOut.objects.exists()


def test_a_consent_withdrawn_after_the_preview_stops_the_sending(world, case, mailoutbox):
    consent = consent_for(world, case, NAME_BIRTH_SCHOOL)
    client = client_for(world.brugfiguur)
    data = data_for(world, "Graag een gesprek.")
    preview = client.post(url_for(case, consent), data)
    consent_withdraw(actor=Actor(user=world.brugfiguur), consent=consent)
    response = client.post(url_for(case, consent), confirmed(data, preview))
    assert response.status_code == 200 and "This consent has been withdrawn" in response.content.decode()
    assert not ReferralOut.objects.exists() and mailoutbox == []


@pytest.mark.parametrize("persona", ["brugfiguur2", "schoolcontact", "partner", "beheerder", "foreign_coordinator"])
def test_outsiders_get_no_preview(world, case, persona):
    consent = consent_for(world, case, NAME_BIRTH_SCHOOL)
    response = client_for(world.persona(persona)).post(url_for(case, consent), data_for(world, "Graag een gesprek."))
    assert response.status_code == 404
