"""The agenda takes over Appointment, PresenceDay and CalendarFeed from casework (`cases` 0005).

State only: the models are created in the migration state with `db_table` set to the tables that
casework made (`cases_appointment`, `cases_presenceday`, `cases_calendarfeed`), so no table, row,
id, sequence, index or constraint is touched. The one database write renames the three content
types from `cases` to `agenda`, so that permissions and anything pointing at a content type keep
their rows (a fresh database has none yet: post_migrate makes them)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import brugwerk.agenda.models

MOVED = ("appointment", "presenceday", "calendarfeed")


def _relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        if not types.filter(app_label=new, model=model).exists():
            types.filter(app_label=old, model=model).update(app_label=new)
    ContentType.objects.clear_cache()


def content_types_to_agenda(apps, schema_editor):
    _relabel(apps, schema_editor, "cases", "agenda")


def content_types_back_to_cases(apps, schema_editor):
    _relabel(apps, schema_editor, "agenda", "cases")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0005_agenda_moves_to_its_own_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('regions', '0002_region_casework_settings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Appointment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('home_visit', 'home visit'), ('meeting', 'meeting'), ('school_presence', 'presence at school'), ('other', 'other')], max_length=20, verbose_name='kind')),
                        ('starts_at', models.DateTimeField(verbose_name='starts at')),
                        ('ends_at', models.DateTimeField(verbose_name='ends at')),
                        ('location', models.CharField(blank=True, max_length=200, verbose_name='where')),
                        ('brugfiguur', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to=settings.AUTH_USER_MODEL, verbose_name='bridge figure')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='appointments', to='regions.region', verbose_name='region')),
                        ('school', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='regions.school', verbose_name='school')),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='appointments', to='cases.case', verbose_name='case')),
                    ],
                    options={
                        'verbose_name': 'appointment',
                        'verbose_name_plural': 'appointments',
                        'db_table': 'cases_appointment',
                        'ordering': ['starts_at', 'pk'],
                        'indexes': [models.Index(fields=['brugfiguur', 'starts_at'], name='cases_appoi_brugfig_fe1c61_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='appointment_ends_after_start')],
                    },
                ),
                migrations.CreateModel(
                    name='PresenceDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('weekday', models.PositiveSmallIntegerField(choices=[(0, 'Monday'), (1, 'Tuesday'), (2, 'Wednesday'), (3, 'Thursday'), (4, 'Friday'), (5, 'Saturday'), (6, 'Sunday')], verbose_name='weekday')),
                        ('valid_from', models.DateField(verbose_name='from')),
                        ('valid_until', models.DateField(blank=True, null=True, verbose_name='until')),
                        ('brugfiguur', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='presence_days', to=settings.AUTH_USER_MODEL, verbose_name='bridge figure')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='presence_days', to='regions.region', verbose_name='region')),
                        ('school', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='presence_days', to='regions.school', verbose_name='school')),
                    ],
                    options={
                        'verbose_name': 'presence day',
                        'verbose_name_plural': 'presence days',
                        'db_table': 'cases_presenceday',
                        'ordering': ['weekday', 'pk'],
                        'constraints': [
                            models.CheckConstraint(condition=models.Q(('weekday__gte', 0), ('weekday__lte', 6)), name='presence_day_weekday_valid'),
                            models.CheckConstraint(condition=models.Q(('valid_until__isnull', True), ('valid_until__gte', models.F('valid_from')), _connector='OR'), name='presence_day_period_valid'),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name='CalendarFeed',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('token', models.CharField(default=brugwerk.agenda.models.new_feed_token, max_length=64, unique=True, verbose_name='token')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('last_read_at', models.DateTimeField(blank=True, null=True, verbose_name='last read at')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='calendar_feed', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'calendar feed',
                        'verbose_name_plural': 'calendar feeds',
                        'db_table': 'cases_calendarfeed',
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_agenda, content_types_back_to_cases),
    ]
