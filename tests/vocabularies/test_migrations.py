"""The four lists became subclasses of `RegionVocabulary` without a schema change: no migration is
missing, and the migrations run forward over data written with the historical models keep every
row, its id and every reference to it (a foreign key and many-to-many links of each list)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from brugwerk.cases.models import LifeDomain
from brugwerk.expertise.models import ExpertiseTopic, SchoolTeamActivity
from brugwerk.learning.models import LearningTheme, LibraryItem
from brugwerk.signals.models import Signal, SignalTheme

# The state of the four apps before the lists shared a model (the pillars' first migrations depend on
# the last of casework's, so this is the earliest state with all four). Migrations added later to
# any app (after these) are unapplied first and run forward over the data.
HISTORICAL = [
    ("cases", "0004_saved_filters_and_calendar_feeds"),
    ("expertise", "0002_default_topics"),
    ("signals", "0002_default_signal_themes"),
    ("learning", "0002_default_learning_themes"),
]
LISTS = {
    "cases.LifeDomain": LifeDomain,
    "expertise.ExpertiseTopic": ExpertiseTopic,
    "signals.SignalTheme": SignalTheme,
    "learning.LearningTheme": LearningTheme,
}


@pytest.mark.django_db
def test_no_migration_is_missing():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def _rows(model_of):
    return {
        label: sorted(model_of(label).objects.values_list("pk", "region_id", "name", "position", "active"))
        for label in LISTS
    }


@pytest.mark.django_db(transaction=True)
def test_the_migrations_keep_every_row_id_and_reference_written_with_the_historical_models():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(HISTORICAL)
    try:
        old = MigrationExecutor(connection).loader.project_state(HISTORICAL).apps
        Region, School = old.get_model("regions", "Region"), old.get_model("regions", "School")
        User = old.get_model("accounts", "User")
        region = Region.objects.create(name="Regio Historisch", slug="historisch")
        municipality = old.get_model("regions", "Municipality").objects.create(region=region, name="Oudegem")
        school = School.objects.create(region=region, municipality=municipality, name="Oude School")
        user = User.objects.create(username="historisch")
        ids = {}
        for offset, label in enumerate(LISTS):
            model = old.get_model(*label.split("."))
            made = [
                model.objects.create(pk=1000 + 10 * offset + i, region=region, name=f"oud {i}", position=9 - i,
                                     active=i != 2)
                for i in range(3)
            ]
            ids[label] = [term.pk for term in made]
        Theme, Topic = old.get_model("signals", "SignalTheme"), old.get_model("expertise", "ExpertiseTopic")
        Domain, LearnTheme = old.get_model("cases", "LifeDomain"), old.get_model("learning", "LearningTheme")
        signal = old.get_model("signals", "Signal").objects.create(
            region=region, theme=Theme.objects.get(pk=ids["signals.SignalTheme"][2]), title="Bus",
            description="Geen bus", level="region", recorded_on=datetime.date(2025, 3, 1), low_threshold_contacts=0,
            created_by=user,
        )
        activity = old.get_model("expertise", "SchoolTeamActivity").objects.create(
            region=region, school=school, kind="training", date=datetime.date(2025, 3, 1), duration_minutes=60,
            lead=user, participant_count=4,
        )
        activity.topics.set(Topic.objects.filter(pk__in=ids["expertise.ExpertiseTopic"][:2]))
        activity.life_domains.set(Domain.objects.filter(pk__in=ids["cases.LifeDomain"][1:]))
        item = old.get_model("learning", "LibraryItem").objects.create(
            region=region, kind="method", title="Netwerkkaart", summary="Kort."
        )
        item.themes.set(LearnTheme.objects.filter(pk__in=ids["learning.LearningTheme"]))
        before = _rows(lambda label: old.get_model(*label.split(".")))
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)

    assert _rows(lambda label: LISTS[label]) == before
    assert all(len(rows) == 3 for rows in before.values())
    assert Signal.objects.get(pk=signal.pk).theme_id == ids["signals.SignalTheme"][2]
    assert not Signal.objects.get(pk=signal.pk).theme.active
    activity = SchoolTeamActivity.objects.get(pk=activity.pk)
    assert sorted(t.pk for t in activity.topics.all()) == ids["expertise.ExpertiseTopic"][:2]
    assert sorted(d.pk for d in activity.life_domains.all()) == ids["cases.LifeDomain"][1:]
    assert sorted(t.pk for t in LibraryItem.objects.get(pk=item.pk).themes.all()) == ids["learning.LearningTheme"]
    assert [t.name for t in LifeDomain.objects.filter(region_id=signal.region_id)] == ["oud 2", "oud 1", "oud 0"]
