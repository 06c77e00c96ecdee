"""Start a new region on an installation: the region and its first administrator and coordinator.
From then on everything else (zones, schools, users, roles) is managed in the app."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from brugwerk.access.roles import Role
from brugwerk.accounts.models import Membership, User
from brugwerk.audit.models import AuditEvent
from brugwerk.audit.services import Actor, record
from brugwerk.regions.models import Region

SYSTEM = Actor(user=None)
# What a new region starts with, each with its defaults: its editable lists (life domains, expertise
# topics, signal and learning themes) and its casework settings; by name, since they live in the
# layers above the regions.
REGION_DEFAULTS = (
    "brugwerk.vocabularies.services.region_defaults_ensure",
    "brugwerk.cases.services.settings.casework_settings_ensure",
)


class Command(BaseCommand):
    help = "Create a region with its first beheerder (administrator) and coordinator."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="e.g. 'W13 Zuid-West-Vlaanderen'")
        parser.add_argument("--slug", required=True, help="short name, e.g. w13")
        parser.add_argument("--admin", required=True, help="username of the first beheerder")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--coordinator", help="username of the first coordinator")
        parser.add_argument("--coordinator-email")

    @transaction.atomic
    def handle(self, *args, **options):
        if Region.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"A region with short name {options['slug']!r} exists already.")
        region = Region.objects.create(name=options["name"], slug=options["slug"])
        record(actor=SYSTEM, actor_label="region_create", event=AuditEvent.CREATE, subject=region)
        for ensure_defaults in REGION_DEFAULTS:
            import_string(ensure_defaults)(region=region)
        people = [(options["admin"], options["admin_email"], Role.BEHEERDER)]
        if options["coordinator"]:
            people.append((options["coordinator"], options["coordinator_email"] or "", Role.COORDINATOR))
        for username, email, role in people:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, email=email)
                password = self._random_password()
                try:
                    validate_password(password, user)
                except ValidationError as exc:  # pragma: no cover - a random 20-char password passes
                    raise CommandError(" ".join(exc.messages)) from exc
                user.set_password(password)
                user.save()
                record(actor=SYSTEM, actor_label="region_create", event=AuditEvent.CREATE, subject=user,
                       region_id=region.pk, changes={"username": username, "email": email})
                self.stdout.write(f"{username}: initial password {password} (change it at first login)")
            Membership.objects.create(user=user, region=region, role=role)
            record(actor=SYSTEM, actor_label="region_create", event=AuditEvent.ROLE_GRANTED, subject=user,
                   region_id=region.pk, changes={"role": role})
        self.stdout.write(self.style.SUCCESS(f"Region {region.name} created."))

    @staticmethod
    def _random_password() -> str:
        import secrets

        return secrets.token_urlsafe(15)
