"""Demo directories: the seed's support institutions and an entry for each of the 20 partner
organisations, published as registered (idempotent)."""

from __future__ import annotations

from portal.accounts.models import Organization

from . import reference, services


def seed_demo() -> None:
    reference.load()
    for partner in Organization.objects.filter(kind=Organization.Kind.PARTNER, is_active=True):
        types = "・".join(partner.support_type_labels())
        services.entry_publish_initial(
            organization=partner,
            description=f"東京都若者社会参加応援事業の登録団体です（{types}）。",
        )
