import pytest
from django.core.management import CommandError, call_command

from brugwerk.access import principal_of
from brugwerk.access.roles import Role
from brugwerk.accounts.models import User
from brugwerk.audit.models import AuditEntry, AuditEvent
from brugwerk.audit.services import verify_chain
from brugwerk.cases.models import CaseworkSettings
from brugwerk.regions.models import Region


@pytest.mark.django_db
def test_region_create_makes_region_with_first_administrator_and_coordinator(capsys):
    call_command("region_create", name="Regio Test", slug="test", admin="admin1", admin_email="a@x.be",
                 coordinator="coord1", coordinator_email="c@x.be")
    region = Region.objects.get(slug="test")
    admin = User.objects.get(username="admin1")
    assert principal_of(admin).roles == {region.pk: frozenset({Role.BEHEERDER})}
    assert Role.COORDINATOR in principal_of(User.objects.get(username="coord1")).roles[region.pk]
    assert "initial password" in capsys.readouterr().out
    assert AuditEntry.objects.filter(event=AuditEvent.ROLE_GRANTED, region=region).count() == 2
    assert verify_chain()[0]
    assert region.life_domains.count() == 11
    settings = CaseworkSettings.objects.get(region=region)  # with the defaults, and in the audit trail
    assert (settings.feedback_reminder_working_days, settings.inactivity_reminder_days,
            settings.triage_by_brugfiguur) == (10, 30, False)
    assert AuditEntry.objects.filter(event=AuditEvent.CREATE, subject_type="cases.caseworksettings",
                                     subject_id=str(settings.pk), region=region).exists()


@pytest.mark.django_db
def test_region_create_refuses_an_existing_short_name():
    Region.objects.create(name="Bestaand", slug="dup")
    with pytest.raises(CommandError):
        call_command("region_create", name="Nieuw", slug="dup", admin="a2", admin_email="b@x.be")
    assert Region.objects.count() == 1


@pytest.mark.django_db
def test_a_new_region_gets_every_editable_list_with_its_defaults():
    from brugwerk.expertise.models import ExpertiseTopic
    from brugwerk.signals.models import SignalTheme

    call_command("region_create", name="Regio Lijsten", slug="lijsten", admin="admin2", admin_email="b@x.be")
    region = Region.objects.get(slug="lijsten")
    assert region.life_domains.count() > 0
    assert ExpertiseTopic.objects.filter(region=region).count() > 0
    assert SignalTheme.objects.filter(region=region).count() > 0
