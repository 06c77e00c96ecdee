"""Casework's settings move from the region to casework: a `CaseworkSettings` row for every region,
with the values the region held (the fields leave the region in regions 0003, which runs after this)."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

FIELDS = ("feedback_reminder_working_days", "inactivity_reminder_days", "triage_by_brugfiguur")


def copy_from_regions(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    CaseworkSettings = apps.get_model("cases", "CaseworkSettings")
    db = schema_editor.connection.alias
    existing = set(CaseworkSettings.objects.using(db).values_list("region_id", flat=True))
    CaseworkSettings.objects.using(db).bulk_create(
        CaseworkSettings(region_id=region["pk"], **{name: region[name] for name in FIELDS})
        for region in Region.objects.using(db).values("pk", *FIELDS)
        if region["pk"] not in existing
    )


def copy_to_regions(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    CaseworkSettings = apps.get_model("cases", "CaseworkSettings")
    db = schema_editor.connection.alias
    for row in CaseworkSettings.objects.using(db).values("region_id", *FIELDS):
        region_id = row.pop("region_id")
        Region.objects.using(db).filter(pk=region_id).update(**row)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_agenda_moves_to_its_own_app'),
        ('regions', '0002_region_casework_settings'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseworkSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('feedback_reminder_working_days', models.PositiveSmallIntegerField(default=10, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(120)], verbose_name='reminder after how many working days without feedback on a referral')),
                ('inactivity_reminder_days', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(365)], verbose_name='reminder after how many days without contact in an open case')),
                ('triage_by_brugfiguur', models.BooleanField(default=False, help_text='If not, the coordinator triages every referral.', verbose_name='referrals are triaged by the bridge figure of the school')),
                ('region', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='casework_settings', to='regions.region', verbose_name='region')),
            ],
            options={
                'verbose_name': 'casework settings',
                'verbose_name_plural': 'casework settings',
            },
        ),
        migrations.RunPython(copy_from_regions, copy_to_regions),
    ]
