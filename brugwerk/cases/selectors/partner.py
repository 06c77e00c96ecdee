"""Reads of casework for the partner pages. A partner sees the referrals out addressed to their
organisation, with exactly the snapshot of the consented fields, and nothing of them once the
consent is withdrawn: these reads build on `selectors.partner_referrals`, which enforces that. The
sender's preview of a referral out is the partner's view of it, built by the same code."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from brugwerk.access import Action, can, get_object_or_404, may
from brugwerk.audit.reads import record_list_read, record_read
from brugwerk.cases.models import ReferralOut
from brugwerk.cases.selectors import PartnerReferral, _partner_rows, partner_referral_get, partner_row
from brugwerk.regions.models import Region

if TYPE_CHECKING:
    from brugwerk.accounts.models import User


def is_partner_in(*, user: User, region: Region) -> bool:
    """Whether the user is the contact of a partner organisation in `region`: the inbox exists for
    them only (for anyone else it is a page that does not exist)."""
    return may(user, "cases.view_partner_inbox", region=region)


def partner_inbox(*, user: User, region: Region) -> list[PartnerReferral]:
    """The referrals addressed to the user's organisation(s) in `region` whose consent stands,
    newest first. Three queries, however many referrals there are. The read is recorded."""
    rows = _partner_rows(user, case__region_id=region.pk)
    record_list_read(
        user=user, model=ReferralOut, region_id=region.pk, label=_("Referrals to my organisation"),
        details={"referrals_out": [row.pk for row in rows]},
    )
    return rows


def partner_referral(*, user: User, pk: Any) -> PartnerReferral:
    """One referral as the partner sees it; 404 when it is not addressed to their organisation or
    its consent was withdrawn. The read is recorded, of the stored referral."""
    row = partner_referral_get(user=user, referral_out_id=pk)
    record = partner_referral_record(user=user, pk=row.pk)
    record_read(user=user, subject=record, details={"shared_fields": sorted(row.shared)})
    return row


def partner_referral_record(*, user: User, pk: Any, action: Action = Action.VIEW) -> ReferralOut:
    """The stored referral for the partner's writes (acknowledging, feedback) and for the audit
    entry of a read; the policy hides it from them once the consent is withdrawn."""
    return get_object_or_404(
        user, ReferralOut.objects.select_related("organisation", "case__lead", "case__region"), action, pk=pk
    )


def partner_referral_preview(*, user: User, referral_out: ReferralOut) -> PartnerReferral:
    """An unsent referral out (`services.referral_out_prepare`) exactly as its partner will see it
    once sent: built by the same code as the partner's own page, from the same snapshot. Shown to
    `user`, who prepares it (and so may change the case's content; 404 otherwise): recorded as a read
    of the case."""
    if not can(user, Action.VIEW, referral_out.case):
        raise Http404
    row = partner_row(referral_out, feedback=[], today=timezone.localdate())
    record_read(
        user=user,
        subject=referral_out.case,
        details={"page": "referral_out_preview", "consent": referral_out.consent_id, "shared_fields": list(row.shared)},
    )
    return row


def preview_fingerprint(referral_out: ReferralOut) -> str:
    """A digest of everything the partner will see of a referral out (and where it goes): sending
    after a preview goes ahead only when what would be sent is still what the preview showed."""
    seen = {
        "organisation": referral_out.organisation_id,
        "contact_point": referral_out.contact_point_id,
        "consent": referral_out.consent_id,
        "question": referral_out.question,
        "shared_fields": list(referral_out.shared_fields),
        "shared_snapshot": referral_out.shared_snapshot,
    }
    text = json.dumps(seen, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
