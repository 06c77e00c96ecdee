"""Page times on the Flanders-scale demo, as ratios to a minimal logged-in page measured in the same run.

    .venv/bin/python benchmarks/pages.py            # builds var/bench/ once (about 2 minutes), then measures

Each page is requested WARMUP times, then ROUNDS times; the table shows the median time, its ratio to
the floor (the page frame alone, through every middleware, for the same user) and the number of SQL
queries. Nothing here asserts a time: the numbers are for reading and comparing between changes.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BRUGWERK_VAR_DIR", str(ROOT / "var" / "bench"))
os.environ.setdefault("BRUGWERK_DEMO_MODE", "true")
os.environ.setdefault("BRUGWERK_REQUIRE_2FA", "false")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brugwerk.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from brugwerk.accounts.models import User  # noqa: E402
from brugwerk.cases.models import Case, CaseStatus, ReferralOut  # noqa: E402
from brugwerk.network.models import PartnerOrganisation  # noqa: E402
from brugwerk.regions.models import Region, School  # noqa: E402

WARMUP, ROUNDS = 3, 15


def ensure_data() -> None:
    """Build the Flanders-scale demo, or complete it: the demo's steps skip what exists, so after a
    new feature added a step only that step runs."""
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", "--scale", "flanders", stdout=io.StringIO())
    print(f"built or completed the Flanders-scale demo in {time.perf_counter() - started:.0f} s")


def measure(client: Client, path: str) -> tuple[float, int, int]:
    for _ in range(WARMUP):
        client.get(path)
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(times), len(queries), response.status_code


def url(name: str, *args, query: str = "") -> str:
    """The page's address, or "" when this version has no such page (it is then left out)."""
    try:
        path = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{path}?{query}" if query else path


def main() -> None:
    ensure_data()
    region = Region.objects.get(slug="w13")
    school = School.objects.filter(region=region).order_by("pk").first()
    caw = PartnerOrganisation.objects.get(region=region, name="CAW Zuid-West-Vlaanderen")
    users = {name: User.objects.get(username=name) for name in ("coordinator", "bf-sofie", "beleid", "caw", "school")}
    # The biggest open case of the demo brugfiguur: the case file's worst case.
    big_case = (
        Case.objects.filter(region=region, lead__username="bf-sofie", status=CaseStatus.OPEN)
        .annotate(n=Count("contacts"))
        .order_by("-n")
        .first()
    )
    referral_out = ReferralOut.objects.filter(case__region=region, organisation=caw).order_by("pk").first()
    pages = [
        ("coordinator", "start page", "/"),
        ("bf-sofie", "start page", "/"),
        ("beleid", "start page", "/"),
        ("coordinator", "school list", "/regio/scholen/"),
        ("coordinator", "school search", "/regio/scholen/?q=college"),
        ("coordinator", "school detail", f"/regio/scholen/{school.pk}/"),
        ("bf-sofie", "who is my contact", f"/netwerk/wie-is-mijn-contact/?school={school.pk}&organisation={caw.pk}"),
        ("coordinator", "partner list", "/netwerk/"),
        ("coordinator", "partner detail", f"/netwerk/organisaties/{caw.pk}/"),
        ("coordinator", "pool", "/pool/"),
        ("coordinator", "region overview", "/regio/"),
        ("coordinator", "users", "/account/gebruikers/"),
        ("coordinator", "audit trail", "/audit/"),
        # Casework (issue 3)
        ("bf-sofie", "case list", url("cases:case_list")),
        ("coordinator", "case list", url("cases:case_list")),
        ("coordinator", "case search", url("cases:case_list", query="q=an&status=open")),
        ("bf-sofie", "case file (largest)", url("cases:case_detail", big_case.pk if big_case else 0)),
        ("coordinator", "caseload", url("cases:caseload")),
        ("coordinator", "waiting list", url("cases:waiting_list")),
        ("coordinator", "triage", url("cases:triage_list")),
        ("school", "my referrals", url("cases:referral_list")),
        ("caw", "partner inbox", url("cases:partner_inbox")),
        ("caw", "partner referral", url("cases:partner_referral", referral_out.pk if referral_out else 0)),
        ("bf-sofie", "agenda", url("agenda:agenda")),
        ("bf-sofie", "low-threshold list", url("cases:low_threshold_list")),
        # Pillars 2 and 3, learning and time (issue 4)
        ("bf-sofie", "school-team activities", url("expertise:activity_list")),
        ("beleid", "expertise figures", url("expertise:figures")),
        ("coordinator", "signals", url("signals:signal_list")),
        ("beleid", "signals to policy", url("signals:policy_list")),
        ("coordinator", "group offerings", url("groups:offering_list")),
        ("beleid", "group figures", url("groups:figures")),
        ("coordinator", "network meetings", url("cooperation:meeting_list")),
        ("bf-sofie", "open actions", url("cooperation:action_list")),
        ("coordinator", "cooperation agreements", url("cooperation:agreement_overview")),
        ("bf-sofie", "learning sessions", url("learning:session_list")),
        ("bf-sofie", "social map", url("learning:social_map_list")),
        ("coordinator", "time use (school year)", url("timeuse:overview")),
        ("beleid", "time use (school year)", url("timeuse:overview")),
    ]
    pages = [page for page in pages if page[2]]
    print(
        f"data: {Region.objects.count()} regions, {School.objects.count()} schools, "
        f"{User.objects.count()} users, {Case.objects.count()} cases"
    )
    print(f"{'page':<22} {'as':<12} {'median ms':>10} {'x floor':>8} {'queries':>8} {'status':>7}")
    with override_settings(ROOT_URLCONF="benchmarks.urls", DEBUG=False):
        clients = {}
        for name, user in users.items():
            client = Client()
            client.force_login(user, backend="brugwerk.accounts.backends.UsernameOrEmailBackend")
            clients[name] = client
        floors = {name: measure(client, "/bench/floor/") for name, client in clients.items()}
        for name, (seconds, queries, status) in floors.items():
            print(f"{'floor (frame only)':<22} {name:<12} {seconds * 1000:>10.1f} {1:>8.1f} {queries:>8} {status:>7}")
        for username, label, path in pages:
            seconds, queries, status = measure(clients[username], path)
            ratio = seconds / floors[username][0]
            print(f"{label:<22} {username:<12} {seconds * 1000:>10.1f} {ratio:>8.1f} {queries:>8} {status:>7}")
    print(f"database: {settings.DATABASES['default']['NAME']}")


if __name__ == "__main__":
    main()
