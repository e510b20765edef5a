"""Demo consultation windows of 八王子市 and 文京区 (run by ``seed_demo`` before the network-building
programme's demo, whose hearing sheets are pre-filled from them; idempotent)."""

from __future__ import annotations

from portal.accounts.models import Organization, User

from . import services
from .models import ConsultationWindow

WINDOWS = {
    "八王子市": [
        {
            "name": "ひきこもり相談窓口",
            "department": "福祉部 地域福祉推進課",
            "phone": "042-000-1234",
            "hours": "平日 8:30～17:00",
            "email": "hikikomori@example.jp",
            "accepts_home_visit": True,
        },
        {
            "name": "こころの健康相談",
            "department": "保健所 保健対策課",
            "phone": "042-000-5678",
            "hours": "平日 9:00～16:00",
            "accepts_home_visit": False,
        },
    ],
    "文京区": [
        {
            "name": "ひきこもり等自立支援事業（STEP）",
            "department": "福祉部 生活福祉課",
            "phone": "03-0000-4321",
            "hours": "平日 9:00～17:00",
            "accepts_home_visit": True,
        },
    ],
}


def seed_demo() -> None:
    hachioji = Organization.objects.get(kind="municipality", name="八王子市")
    bunkyo = Organization.objects.get(kind="municipality", name="文京区")
    hachioji_staff = User.objects.get(email="hachioji@example.jp")
    bunkyo_staff = User.objects.get(email="bunkyo@example.jp")

    for org, staff in ((hachioji, hachioji_staff), (bunkyo, bunkyo_staff)):
        if not ConsultationWindow.objects.filter(organization=org).exists():
            for order, entry in enumerate(WINDOWS[org.name], start=1):
                services.window_save(
                    actor=staff,
                    organization=org,
                    window=None,
                    based_on_version=None,
                    order=order,
                    web_url="",
                    notes="",
                    email=entry.get("email", ""),
                    **{k: v for k, v in entry.items() if k != "email"},
                )
