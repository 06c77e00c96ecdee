"""Give every existing region the default list of learning themes; the demo and
`vocabularies.services.terms_ensure_defaults` give them to regions made later."""

from django.db import migrations

DEFAULTS = (
    "armoede en schoolkosten",
    "anderstaligheid",
    "complexe gezinssituaties",
    "gespreksvoering met jongeren en ouders",
    "samenwerking met de school",
    "netwerk en doorverwijzing",
    "beroepsgeheim en privacy",
    "schoolverzuim",
    "welbevinden en veerkracht",
    "grenzen en zelfzorg",
)


def add_defaults(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    LearningTheme = apps.get_model("learning", "LearningTheme")
    for region in Region.objects.all():
        if LearningTheme.objects.filter(region=region).exists():
            continue
        LearningTheme.objects.bulk_create(
            LearningTheme(region=region, name=name, position=position) for position, name in enumerate(DEFAULTS, 1)
        )


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_sessions_library_and_social_map")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
