"""The agenda (Appointment, PresenceDay, CalendarFeed) moves to its own app, `brugwerk.agenda`.

Casework forgets the three models in its migration state only: their tables, rows, ids, sequences,
indexes and constraints stay where they are, and `agenda` 0001 takes them over under the same
table names (`db_table`). Nothing is written to the database here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_saved_filters_and_calendar_feeds'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Appointment'),
                migrations.DeleteModel(name='PresenceDay'),
                migrations.DeleteModel(name='CalendarFeed'),
            ],
            database_operations=[],
        ),
    ]
