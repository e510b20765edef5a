"""A 200 MB material for the download part of bench/scale.py (run inside Django)."""

from __future__ import annotations

import os

from django.conf import settings

SIZE = 200 * 1024 * 1024
NAME = "materials/scale-video.mp4"


def large_material() -> str:
    from portal.accounts.models import User
    from portal.guidebook.models import Material, MaterialVersion

    path = os.path.join(settings.MEDIA_ROOT, NAME)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if not os.path.exists(path) or os.path.getsize(path) != SIZE:
        with open(path, "wb") as handle:
            handle.truncate(SIZE)
    coordinator = User.objects.get(email="coordinator@scale.example.jp")
    material, _ = Material.objects.get_or_create(
        title="規模 動画教材（200MB）",
        defaults={
            "category": "training",
            "fiscal_year": 2026,
            "audience": "members",
            "created_by": coordinator,
        },
    )
    MaterialVersion.objects.get_or_create(
        material=material,
        number=1,
        defaults={
            "file": NAME,
            "original_name": "動画教材.mp4",
            "content_type": "video/mp4",
            "size": SIZE,
            "sha256": "0" * 64,
            "uploaded_by": coordinator,
        },
    )
    return f"/materials/{material.pk}/download/"
