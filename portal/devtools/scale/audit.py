"""The audit log's share of the national load: a million events over ten years."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from portal.accounts.models import Organization, User
from portal.core.labels import ACTION_LABELS
from portal.core.models import AuditEvent
from portal.devtools.scale import AUDIT_ADDRESS, DOMAIN, Plan, bulk, own_timestamps


def generate(*, plan: Plan) -> None:
    """A million audit events over ten years: people of every organisation reading and changing
    the objects of their work (the log's own share of the national load)."""
    if AuditEvent.objects.filter(ip_address=AUDIT_ADDRESS).exists():
        return
    members = list(
        User.objects.filter(email__endswith="@" + DOMAIN, memberships__isnull=False)
        .order_by("pk")
        .values_list("pk", "email", "memberships__organization_id")
    )
    org_type = ContentType.objects.get_for_model(Organization)
    actions = sorted(ACTION_LABELS)
    rng = plan.rng("audit")
    total = plan.size("audit_events", minimum=100)
    span = 3650 * 24 * 60  # ten years in minutes

    def rows():
        for n in range(total):
            pk, email, org = members[rng.randrange(len(members))]
            yield AuditEvent(
                actor_id=pk,
                actor_email=email,
                organization_id=org,
                action=actions[n % len(actions)],
                content_type=org_type,
                object_id=str(org),
                object_repr=f"organization #{org}",
                ip_address=AUDIT_ADDRESS,
                created_at=plan.now - dt.timedelta(minutes=span * (total - n) // total),
            )

    with own_timestamps(AuditEvent):
        bulk(AuditEvent, rows(), batch=10_000)
