"""Give every existing region the default list of signal themes; new regions get it from
`vocabularies.services.terms_ensure_defaults`."""

from django.db import migrations

DEFAULTS = (
    "schoolkosten",
    "vervoer en mobiliteit",
    "wachtlijsten in de jeugdhulp",
    "digitale uitsluiting",
    "wonen",
    "taalbarrières",
    "kinderopvang",
    "rechten en toelagen",
    "mentaal welzijn",
    "samenwerking onderwijs en welzijn",
)


def add_defaults(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    SignalTheme = apps.get_model("signals", "SignalTheme")
    for region in Region.objects.all():
        if SignalTheme.objects.filter(region=region).exists():
            continue
        SignalTheme.objects.bulk_create(
            SignalTheme(region=region, name=name, position=position) for position, name in enumerate(DEFAULTS, 1)
        )


class Migration(migrations.Migration):
    dependencies = [("signals", "0001_signals_themes_evidence_history_responses")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
