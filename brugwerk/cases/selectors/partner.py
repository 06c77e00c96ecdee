"""Reads of casework for the partner pages. A partner sees the referrals out addressed to their
organisation, with exactly the snapshot of the consented fields, and nothing of them once the
consent is withdrawn: these reads build on `selectors.partner_referrals`, which enforces that. The
sender's preview of a referral out is the partner's view of it, built by the same code."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from brugwerk.access import Action, get_object_or_404, may
from brugwerk.cases.models import ReferralOut
from brugwerk.cases.selectors import PartnerReferral, _partner_rows, partner_referral_get, partner_row
from brugwerk.regions.models import Region


def is_partner_in(*, user: Any, region: Region) -> bool:
    """Whether the user is the contact of a partner organisation in `region`: the inbox exists for
    them only (for anyone else it is a page that does not exist)."""
    return may(user, "cases.view_partner_inbox", region=region)


def partner_inbox(*, user: Any, region: Region) -> list[PartnerReferral]:
    """The referrals addressed to the user's organisation(s) in `region` whose consent stands,
    newest first. Three queries, however many referrals there are."""
    return _partner_rows(user, case__region_id=region.pk)


def partner_referral(*, user: Any, pk: Any) -> PartnerReferral:
    """One referral as the partner sees it; 404 when it is not addressed to their organisation or
    its consent was withdrawn."""
    return partner_referral_get(user=user, referral_out_id=pk)


def partner_referral_record(*, user: Any, pk: Any, action: Action = Action.VIEW) -> ReferralOut:
    """The stored referral for the partner's writes (acknowledging, feedback) and for the audit
    entry of a read; the policy hides it from them once the consent is withdrawn."""
    return get_object_or_404(
        user, ReferralOut.objects.select_related("organisation", "case__lead", "case__region"), action, pk=pk
    )


def partner_referral_preview(*, referral_out: ReferralOut) -> PartnerReferral:
    """An unsent referral out (`services.referral_out_prepare`) exactly as its partner will see it
    once sent: built by the same code as the partner's own page, from the same snapshot."""
    return partner_row(referral_out, feedback=[], today=timezone.localdate())


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
