"""Give every existing region the default list of life domains (docs/domain.md); new regions get it from
`vocabularies.services.terms_ensure_defaults` (from `cases.models.DEFAULT_LIFE_DOMAINS`)."""

from django.db import migrations

DEFAULTS = (
    "onderwijs",
    "financiën en inkomen",
    "administratie en juridisch",
    "wonen",
    "fysieke gezondheid",
    "mentaal welzijn",
    "gezin en opvoeding",
    "vrije tijd",
    "taal",
    "werk",
    "mobiliteit",
)


def add_defaults(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    LifeDomain = apps.get_model("cases", "LifeDomain")
    for region in Region.objects.all():
        if LifeDomain.objects.filter(region=region).exists():
            continue
        LifeDomain.objects.bulk_create(
            LifeDomain(region=region, name=name, position=position) for position, name in enumerate(DEFAULTS, 1)
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("regions", "0002_region_casework_settings")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
