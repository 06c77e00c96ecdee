"""Casework's settings left the region: they are `cases.CaseworkSettings` now, copied there per
region by cases 0006 (which therefore runs first)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('regions', '0002_region_casework_settings'),
        ('cases', '0006_casework_settings_per_region'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='region',
            name='feedback_reminder_working_days',
        ),
        migrations.RemoveField(
            model_name='region',
            name='inactivity_reminder_days',
        ),
        migrations.RemoveField(
            model_name='region',
            name='triage_by_brugfiguur',
        ),
    ]
