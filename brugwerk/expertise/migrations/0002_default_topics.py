"""Give every existing region the default list of expertise topics; new regions get it from
`vocabularies.services.terms_ensure_defaults` (and the coordinator's topic page offers it)."""

from django.db import migrations

DEFAULTS = (
    "armoede en kansarmoede",
    "anderstaligheid",
    "complexe gezinssituaties",
    "schoolkosten",
    "welbevinden",
    "spijbelen en schoolafwezigheid",
    "ouderbetrokkenheid",
    "samenwerking met welzijnspartners",
    "de rol van de brugfiguur",
)


def add_defaults(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    ExpertiseTopic = apps.get_model("expertise", "ExpertiseTopic")
    for region in Region.objects.all():
        if ExpertiseTopic.objects.filter(region=region).exists():
            continue
        ExpertiseTopic.objects.bulk_create(
            ExpertiseTopic(region=region, name=name, position=position) for position, name in enumerate(DEFAULTS, 1)
        )


class Migration(migrations.Migration):
    dependencies = [("expertise", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
