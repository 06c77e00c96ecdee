"""E-mail notifications: a partner's contact point hears of a new referral out, the lead brugfiguur of
feedback. The mail carries a link only, never the young person's name, school or the reason, and it
is sent only once the transaction committed (through Django's tasks framework)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from brugwerk.audit.services import Actor
from brugwerk.cases.models import ConsentGiver, ConsentPurpose, FeedbackStatus, ReferralOut, ReferralSource
from brugwerk.cases.services import consent_record, referral_feedback_give
from brugwerk.cases.tasks import notify_feedback, notify_referral_out
from tests import factories as f
from tests import factories_cases as fc
from tests.conftest import client_for

SECRETS = ("Youssef", "Benali", "Sint-Amandscollege", "schooltoeslag", "Vaak afwezig", "studentenjob", "0470")


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
    fc.HelpQuestionFactory(case=case, description="Hulp bij de schooltoeslag.")
    fc.ReferralFactory(
        region=world.region, school=world.school, source=ReferralSource.SCHOOL, case=case,
        young_person=case.young_person, reason="Vaak afwezig, thuis moeilijk bereikbaar.",
    )
    return case


@pytest.fixture
def consent(world, case):
    return consent_record(
        actor=Actor(user=world.brugfiguur), case=case, organisation=world.organisation,
        purpose=ConsentPurpose.REFERRAL, shared_fields=["first_name", "last_name", "school", "help_questions"],
        given_by=ConsentGiver.YOUNG_PERSON, given_on=timezone.localdate(), method="verbal",
    )


def post_referral(world, case, consent, **overrides):
    data = {
        "contact_point": world.contact_point.pk, "question": "Kan het JAC Youssef helpen met een studentenjob?",
        "shared_fields": ["first_name", "last_name", "school", "help_questions"],
    } | overrides
    url = reverse("cases:referral_out_create", args=[case.pk]) + f"?consent={consent.pk}"
    client = client_for(world.brugfiguur)
    response = client.post(url, data)
    if response.status_code == 200 and "fingerprint" in response.context:  # the preview: send from it
        response = client.post(url, data | {"confirm": "1", "fingerprint": response.context["fingerprint"]})
    return response


def assert_no_personal_data(mail) -> None:
    text = f"{mail.subject}\n{mail.body}"
    for secret in SECRETS:
        assert secret not in text


def test_a_new_referral_mails_the_contact_point_a_link_only(world, case, consent, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_referral(world, case, consent)
    referral = ReferralOut.objects.get()
    assert len(callbacks) == 1 and len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [world.contact_point.email]
    link = "http://testserver" + reverse("cases:partner_referral", args=[referral.pk])
    assert f"There is a new referral for you in Brugwerk: {link}" in mail.body
    assert_no_personal_data(mail)


def test_the_mail_waits_for_the_commit(world, case, consent, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_referral(world, case, consent)
    assert ReferralOut.objects.exists() and len(callbacks) == 1
    assert mailoutbox == []  # nothing is announced before the referral is stored for good


def test_a_refused_referral_mails_nobody(world, case, consent, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_referral(world, case, consent, shared_fields=["family"])  # not covered by the consent
    assert not ReferralOut.objects.exists() and callbacks == [] and mailoutbox == []


def test_without_a_contact_points_address_the_organisations_general_address_is_used(
    world, case, consent, mailoutbox, django_capture_on_commit_callbacks
):
    world.contact_point.email = ""
    world.contact_point.save()
    world.organisation.email = "onthaal@caw.test"
    world.organisation.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_referral(world, case, consent)
    assert [mail.to for mail in mailoutbox] == [["onthaal@caw.test"]]


def test_without_any_address_no_mail_is_sent(world, case, consent, mailoutbox, django_capture_on_commit_callbacks):
    world.contact_point.email = ""
    world.contact_point.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_referral(world, case, consent)
    assert ReferralOut.objects.exists() and mailoutbox == []


def test_feedback_mails_the_lead_a_link_only(world, case, consent, mailoutbox, django_capture_on_commit_callbacks):
    post_referral(world, case, consent)
    referral = ReferralOut.objects.get()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(world.partner).post(
            reverse("cases:partner_feedback", args=[referral.pk]),
            {"status": FeedbackStatus.NOT_POSSIBLE, "note": "Youssef woont buiten ons werkgebied."},
        )
    assert response.status_code == 302 and len(callbacks) == 1 and len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [world.brugfiguur.email]
    link = "http://testserver" + reverse("cases:referral_out_detail", args=[referral.pk])
    assert f"A partner gave feedback on a referral in Brugwerk: {link}" in mail.body
    assert "werkgebied" not in mail.body
    assert_no_personal_data(mail)


def test_invalid_feedback_mails_nobody(world, case, consent, mailoutbox, django_capture_on_commit_callbacks):
    post_referral(world, case, consent)
    referral = ReferralOut.objects.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client_for(world.partner).post(
            reverse("cases:partner_feedback", args=[referral.pk]), {"status": FeedbackStatus.NOT_POSSIBLE}
        )
    assert callbacks == [] and mailoutbox == []


def test_the_tasks_take_ids_and_read_afresh(world, case, consent, mailoutbox):
    referral = fc.ReferralOutFactory(consent=consent, contact_point=world.contact_point)
    feedback = referral_feedback_give(
        actor=Actor(user=world.partner), referral_out=referral, status=FeedbackStatus.STARTED, note="Gestart."
    )
    result = notify_referral_out.enqueue(referral_out_id=referral.pk, base_url="https://brugwerk.example")
    assert result.return_value == 1
    assert "https://brugwerk.example/werk/doorverwijzingen/inbox/" in mailoutbox[-1].body
    assert notify_feedback.enqueue(feedback_id=feedback.pk, base_url="https://brugwerk.example").return_value == 1
    assert notify_referral_out.enqueue(referral_out_id=999999, base_url="https://x.example").return_value == 0
    assert len(mailoutbox) == 2


def test_a_lead_without_an_address_gets_no_mail(world, case, consent, mailoutbox):
    lead = f.UserFactory(email="")
    referral = fc.ReferralOutFactory(consent=consent)
    referral.case.lead = lead
    referral.case.save()
    feedback = fc.ReferralFeedbackFactory(referral_out=referral, given_by=world.partner)
    assert notify_feedback.enqueue(feedback_id=feedback.pk, base_url="https://brugwerk.example").return_value == 0
    assert mailoutbox == []
