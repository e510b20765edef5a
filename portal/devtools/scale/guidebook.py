"""Scale data of the library: 1,000 materials (one version each) and 100,000 downloads."""

from __future__ import annotations

import datetime as dt

from portal.accounts.models import Organization, User
from portal.devtools.scale import Plan, bulk, own_timestamps
from portal.guidebook.models import Download, Material, MaterialVersion


def generate(*, plan: Plan) -> None:
    if Material.objects.filter(title__startswith="規模資料").exists():
        return
    coordinator = User.objects.get(email=plan.email("coordinator"))
    rng = plan.rng("guidebook")
    years = plan.years()
    categories = [c for c in Material.Category.values if c != "guidebook"]
    audiences = ["public", "members", "municipalities", "partners"]
    total = plan.size("materials", minimum=10)
    materials = [
        Material(
            title=f"規模資料 {n + 1:04d}",
            description="研修や交流会で配布した資料です。",
            category=categories[n % len(categories)],
            fiscal_year=years[n % len(years)],
            audience=audiences[n % len(audiences)],
            created_by=coordinator,
        )
        for n in range(total)
    ]
    bulk(Material, materials)
    ids = list(
        Material.objects.filter(title__startswith="規模資料").order_by("pk").values_list("pk", flat=True)
    )
    bulk(
        MaterialVersion,
        (
            MaterialVersion(
                material_id=pk,
                number=1,
                file="materials/scale-material.pdf",
                original_name="資料.pdf",
                content_type="application/pdf",
                size=120_000,
                sha256="0" * 64,
                uploaded_by=coordinator,
            )
            for pk in ids
        ),
    )
    versions = dict(MaterialVersion.objects.filter(material_id__in=ids).values_list("material_id", "pk"))
    orgs = list(Organization.objects.values_list("pk", "kind"))

    def downloads():
        for n in range(plan.size("downloads", minimum=20)):
            material = ids[rng.randrange(len(ids))]
            org, kind = orgs[rng.randrange(len(orgs))] if n % 5 else (None, "public")
            yield Download(
                material_id=material,
                version_id=versions[material],
                organization_id=org,
                organization_kind=kind,
                at=plan.now - dt.timedelta(minutes=n * 50),
            )

    with own_timestamps(Download):
        bulk(Download, downloads())
