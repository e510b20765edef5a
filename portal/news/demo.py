"""Demo posts in each of the four categories, written and reviewed the way people would
(idempotent; dates are relative to now, so it loads at any hour)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from portal.accounts.models import Organization, User

from . import services
from .models import Post


def _at(days: int, hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _data(category, title, body, **event) -> dict:
    return {"category": category, "title": title, "body": body, **event}


def _write(author, organization, data, *, decide=None, coordinator=None, flags=None) -> Post | None:
    if Post.objects.filter(organization=organization, title=data["title"]).exists():
        return None
    post = services.post_create(actor=author, organization=organization, data=data)
    post = services.post_submit(actor=author, post=post)
    if decide == "approve":
        post = services.post_approve(actor=coordinator, post=post)
    elif decide == "return":
        post = services.post_return(
            actor=coordinator, post=post, comment="会場へのアクセス（最寄り駅）を書き足してください。"
        )
    if flags:
        services.post_flags(actor=coordinator, post=post, **flags)
    return post


def seed_demo() -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@example.jp")}
    coordinator = users.get("coordinator@example.jp")
    hachioji = users.get("hachioji@example.jp")
    npo = users.get("npo-a@example.jp")
    if not (coordinator and hachioji and npo):
        return
    secretariat = Organization.objects.get(kind=Organization.Kind.SECRETARIAT)
    hachioji_org = Organization.objects.get(name="八王子市")
    npo_org = npo.memberships.filter(is_active=True).first().organization
    _write(
        coordinator,
        secretariat,
        _data(
            Post.Category.SUPPORT_NET,
            "ピアオンライン相談を週1回に拡充しました",
            "ピアサポーターによるオンライン相談を**週1回**実施しています。\n\n"
            "ご本人・ご家族のどなたでもご利用いただけます。",
        ),
    )
    _write(
        coordinator,
        secretariat,
        _data(
            Post.Category.NOTICE,
            "電話相談の一時休止のお知らせ",
            "設備点検のため、下記の時間は電話相談がつながりません。ご不便をおかけします。\n\n- 12:00～13:00",
            publish_until=_at(10, 18),
        ),
        coordinator=coordinator,
        flags={"pinned": True, "urgent": True},
    )
    _write(
        coordinator,
        secretariat,
        _data(
            Post.Category.NOTICE,
            "家族セミナーは満席のため、オンライン受講のみ予約受付中です",
            "会場の定員に達しました。オンラインでの受講は引き続き受け付けています。",
        ),
    )
    _write(
        hachioji,
        hachioji_org,
        _data(
            Post.Category.MUNICIPAL,
            "八王子市 ひきこもり家族教室（全3回）",
            "ひきこもりの状態にあるご家族を持つ方を対象に、家族教室を開きます。\n\n参加無料・事前申込制です。",
            event_starts_at=_at(21, 14),
            event_ends_at=_at(21, 16),
            event_place="八王子市役所 会議室",
        ),
        decide="approve",
        coordinator=coordinator,
    )
    _write(
        npo,
        npo_org,
        _data(
            Post.Category.EVENT,
            "フリースペース見学会",
            "フリースペースの見学会を開きます。ご本人・ご家族どなたでもどうぞ。",
            event_starts_at=_at(14, 13),
            event_ends_at=_at(14, 15),
            event_place="渋谷区内の活動拠点",
            event_online=True,
        ),
        decide="approve",
        coordinator=coordinator,
    )
    _write(
        npo,
        npo_org,
        _data(
            Post.Category.EVENT,
            "家族向け相談会",
            "ご家族向けの個別相談会です。",
            event_starts_at=_at(35, 10),
            event_ends_at=_at(35, 12),
        ),
        decide="return",
        coordinator=coordinator,
    )
