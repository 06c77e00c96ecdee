"""Audit of reads by construction (issue 9): a read of a young person, a family or case content is
recorded by the selector that returns it (`audit.reads`), never by a view that has to remember it.
Views may still record the pages about professionals (pool, network, schools, agreements, meetings,
expertise, users, the audit trail, time use, caseload): an AST scan of every view module finds each
`record_view`/`record_list_view` call and fails on a record kind that is not one of those."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2] / "brugwerk"
RECORDERS = {"record_view", "record_list_view"}

# The kinds of record a view may still record a read of itself: records about professionals.
PROFESSIONAL_KINDS = {
    "CooperationAgreement", "School", "NetworkMeeting", "MeetingAction", "PoolMember", "SchoolTeamActivity",
    "PartnerOrganisation", "ContactPoint", "User", "AuditEntry",
}
# The kinds whose reads only selectors record (the list is checked against the models, not complete
# by itself: any kind not in PROFESSIONAL_KINDS is refused in a view).
YOUNG_PERSON_KINDS = {
    "YoungPerson", "Case", "Referral", "FamilyMember", "ContactMoment", "Goal", "HelpQuestion",
    "AgreedAction", "Consent", "ReferralOut", "CaseShare", "Appointment", "GroupOffering",
    "GroupSession", "GroupParticipant", "LearningSession", "Signal",
}
# `record_view(subject=<name>)`: the kind of each subject a view module passes (by variable name).
SUBJECTS = {
    ("cooperation/views/agreements.py", "current"): "CooperationAgreement",
    ("cooperation/views/agreements.py", "school"): "School",
    ("cooperation/views/agreements.py", "agreement"): "CooperationAgreement",
    ("cooperation/views/meetings.py", "meeting"): "NetworkMeeting",
    ("expertise/views.py", "activity"): "SchoolTeamActivity",
    ("network/views.py", "organisation"): "PartnerOrganisation",
    ("regions/views.py", "school"): "School",
    ("pool/views.py", "member"): "PoolMember",
}


def view_modules() -> list[Path]:
    return sorted({*ROOT.glob("*/views.py"), *ROOT.glob("*/views/*.py"), *ROOT.glob("*/views_*.py")})


def recorded_kinds(source: str, module: str) -> list[tuple[int, str]]:
    """(line, kind) of every read a module's own code records; a subject whose kind is not known
    comes back as `?name`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in RECORDERS:
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        argument = keywords.get("model" if name == "record_list_view" else "subject")
        names = [n.id for n in ast.walk(argument) if isinstance(n, ast.Name)] if argument is not None else []
        if not names:
            found.append((node.lineno, "?"))
        for variable in names:
            kind = variable if name == "record_list_view" else SUBJECTS.get((module, variable), f"?{variable}")
            found.append((node.lineno, kind))
    return found


def test_no_view_records_a_read_of_a_young_persons_record():
    wrong = []
    for path in view_modules():
        module = path.relative_to(ROOT).as_posix()
        for line, kind in recorded_kinds(path.read_text(), module):
            if kind not in PROFESSIONAL_KINDS:
                wrong.append(f"brugwerk/{module}:{line} records a read of {kind}: let its selector record it")
    assert not wrong, "\n".join(wrong)


def test_the_scan_finds_views_and_the_reads_they_record():
    modules = [path.relative_to(ROOT).as_posix() for path in view_modules()]
    assert {"cases/views/referrals.py", "pool/views.py", "agenda/views.py", "home/views.py"} <= set(modules)
    assert ("pool/views.py" in modules) and recorded_kinds((ROOT / "pool/views.py").read_text(), "pool/views.py")


def test_the_scan_refuses_a_view_that_records_a_young_persons_record():
    source = (
        "def page(request, pk):\n"
        "    case = case_get(user=request.user, pk=pk)\n"
        "    record_view(actor=Actor.from_request(request), subject=case)\n"
        "    services.record_list_view(actor=a, model=YoungPerson, region_id=1, label='x', details={})\n"
        "    record_view(actor=a, subject=school)\n"
    )
    assert recorded_kinds(source, "cases/views/x.py") == [(3, "?case"), (4, "YoungPerson"), (5, "?school")]
    assert recorded_kinds(source, "regions/views.py")[-1] == (5, "School")


def test_the_kinds_are_models_and_do_not_overlap():
    models = {model.__name__ for model in apps.get_models()}
    assert PROFESSIONAL_KINDS <= models
    assert YOUNG_PERSON_KINDS <= models
    assert set(SUBJECTS.values()) <= PROFESSIONAL_KINDS
    assert not PROFESSIONAL_KINDS & YOUNG_PERSON_KINDS
