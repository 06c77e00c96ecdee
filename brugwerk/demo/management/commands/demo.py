"""`manage.py demo`: load the W13 demo (and, with `--scale flanders`, a dataset the size of
Flanders) and print the demo logins. Safe to run again: it completes what is missing and resets
the demo passwords. The password comes from BRUGWERK_DEMO_PASSWORD (default `brugwerk-demo`)."""

from __future__ import annotations

import time
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from brugwerk.demo import flanders
from brugwerk.demo.build import DEFAULT_PASSWORD, PASSWORD_ENV, LoadResult, load
from brugwerk.demo.spec import RegionSpec


class Command(BaseCommand):
    help = (
        f"Load the demo data: the W13 region and a small second region, or with --scale flanders also "
        f"a dataset the size of Flanders. Demo logins get the password from {PASSWORD_ENV} "
        f"(default '{DEFAULT_PASSWORD}')."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["w13", "flanders"],
            default="w13",
            help="w13 (default) or flanders: W13 plus about 24 generated regions.",
        )
        parser.add_argument(
            "--regions",
            type=int,
            default=None,
            help=f"With --scale flanders: build only the first N of the {flanders.REGION_COUNT} "
            "generated regions (each at full size).",
        )

        parser.add_argument(
            "--casework-scale",
            type=float,
            default=1.0,
            help="With --scale flanders: the fraction (0 to 1) of the bulk casework of the generated regions "
            "(1 = about 60,000 trajectories and 1.5 million contact moments).",
        )

    def handle(self, *args, scale: str, regions: int | None, casework_scale: float, **options) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError(_("The demo data (with its known password) cannot be loaded in production."))
        if regions is not None and (scale != "flanders" or not 0 <= regions <= flanders.REGION_COUNT):
            raise CommandError(
                _("--regions needs --scale flanders and a number from 0 to %(max)d.") % {"max": flanders.REGION_COUNT}
            )
        if not 0 <= casework_scale <= 1:
            raise CommandError(_("--casework-scale needs a number from 0 to 1."))
        started = time.perf_counter()
        result = load(scale=scale, regions=regions, casework_scale=casework_scale)
        seconds = time.perf_counter() - started
        self._print_summary(result, seconds)
        self._print_logins(result)

    def _print_summary(self, result: LoadResult, seconds: float) -> None:
        hand_made = [s for s in result.specs if not s.slug.startswith(flanders.SLUG_PREFIX)]
        generated = [s for s in result.specs if s.slug.startswith(flanders.SLUG_PREFIX)]
        for spec in hand_made:
            self.stdout.write(f"{spec.name}: {self._figures([spec])}")
        if generated:
            self.stdout.write(
                _("%(count)d generated regions: %(figures)s")
                % {"count": len(generated), "figures": self._figures(generated)}
            )
            self.stdout.write(
                _("All %(count)d regions: %(figures)s")
                % {"count": len(result.specs), "figures": self._figures(result.specs)}
            )
        self.stdout.write(
            _("Created %(created)d records, reset %(refreshed)d existing passwords, in %(seconds).1f s.")
            % {
                "created": sum(result.created.values()),
                "refreshed": result.passwords_refreshed,
                "seconds": seconds,
            }
        )

    @staticmethod
    def _figures(specs: list[RegionSpec]) -> str:
        return _(
            "municipalities %(municipalities)d, zones %(zones)d, schools %(schools)d (pupils %(pupils)s), "
            "partner organisations %(partners)d, contact points %(contacts)d, "
            "brugfiguren %(pool)d (FTE %(fte)s)"
        ) % {
            "municipalities": sum(len(s.municipalities) for s in specs),
            "zones": sum(len(s.zones) for s in specs),
            "schools": sum(len(s.schools) for s in specs),
            "pupils": f"{sum(s.pupil_total for s in specs):,}",
            "partners": sum(len(s.organisations) for s in specs),
            "contacts": sum(len(s.contact_points) for s in specs),
            "pool": sum(len(s.pool) for s in specs),
            "fte": sum((p.fte for s in specs for p in s.pool), Decimal(0)),
        }

    def _print_logins(self, result: LoadResult) -> None:
        rows = [(_("username"), _("name"), _("role"), _("region"), _("school / organisation"))]
        generated = [s for s in result.specs if s.slug.startswith(flanders.SLUG_PREFIX)]
        for spec in result.specs:
            if spec.slug.startswith(flanders.SLUG_PREFIX):
                continue
            for login in spec.logins:
                rows.append(
                    (
                        login.username,
                        f"{login.first_name} {login.last_name}",
                        str(login.role),
                        spec.name,
                        login.school or login.organisation or "",
                    )
                )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        self.stdout.write("")
        for n, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        if generated:
            self.stdout.write(
                _("... and %(count)d logins in the generated regions, such as %(examples)s.")
                % {
                    "count": sum(len(spec.logins) for spec in generated),
                    "examples": ", ".join(login.username for login in generated[0].logins[:2]),
                }
            )
        self.stdout.write("")
        self.stdout.write(_("Password for every demo login: %(password)s") % {"password": result.password})
