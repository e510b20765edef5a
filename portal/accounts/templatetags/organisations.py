"""Organisation pages' own tags."""

from django import template

from portal.core.urltag import address

register = template.Library()


@register.simple_tag
def organisation_rows(organisations):
    """The organisation list's lines as plain values, worked out here once per line."""
    rows = []
    for org in organisations:
        kind = org.get_kind_display()
        if org.municipality_kind:
            kind = f"{kind}（{org.get_municipality_kind_display()}）"
        rows.append(
            {
                "url": address("accounts:organization_detail", org.pk),
                "name": str(org),
                "kana": org.kana,
                "kind": kind,
                "code": org.code or "",
                "locations": "・".join(org.location_names),
                "support": "・".join(org.support_type_labels()) if org.support_types else "",
                "members": str(org.active_members),
                "admins": str(org.admin_count),
                "active": org.is_active,
            }
        )
    return rows
