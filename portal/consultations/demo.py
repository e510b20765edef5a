"""Demo data: a counsellor, a demo resident with a consultation waiting and one answered, reply
templates and a few 相談記録 for the statistics."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import AgeBand, Method, Record, Referral, Relation, Resident, Withdrawal

DEMO_USER_NUMBER = "DEMQ7KXT4H9P"


def seed_demo(**_options) -> None:
    from portal.accounts.models import User

    from . import services

    if Resident.objects.filter(user_number=DEMO_USER_NUMBER).exists():
        return
    # accounts' demo loader (order 10) made the counsellor: a secretariat member with the 相談員 role.
    counsellor = User.objects.get(email="counsellor@example.jp")
    resident = Resident(
        user_number=DEMO_USER_NUMBER,
        nickname="そら",
        prefecture="東京都",
        age_band=AgeBand.TWENTIES,
        withdrawal=Withdrawal.UNDER_3Y,
        email="resident@example.jp",
        email_verified_at=timezone.now(),
    )
    resident.set_password(settings.DEMO_PASSWORD)
    resident.save()
    answered = services.thread_create(
        resident=resident,
        subject="外に出るのがこわいです",
        body="半年ほど家から出られていません。何から始めたらいいか分かりません。",
        relation=Relation.PERSON,
    )
    answered = services.draft_save(
        actor=counsellor,
        thread=answered,
        body="メールをくださってありがとうございます。まずは、今の毎日のことを少しずつ教えてください。",
        based_on_version=answered.draft_version,
    )
    services.reply_send(actor=counsellor, thread=answered, based_on_version=answered.draft_version)
    services.thread_create(
        resident=resident,
        subject="家族との会話について",
        body="家族と話すと、つい言い合いになってしまいます。",
        relation=Relation.PERSON,
    )
    services.template_save(
        actor=counsellor,
        template=None,
        title="はじめてのご相談へのお礼",
        body="メールをくださってありがとうございます。ここでは、ニックネームのままで大丈夫です。",
        is_active=True,
    )
    today = timezone.localdate()
    for offset, method, relation in [
        (3, Method.PHONE, Relation.FAMILY),
        (10, Method.PHONE, Relation.PERSON),
        (40, Method.PEER_ONLINE, Relation.PERSON),
        (70, Method.INDIVIDUAL, Relation.FAMILY),
    ]:
        Record.objects.create(
            method=method,
            date=today - dt.timedelta(days=offset),
            duration_minutes=30,
            relation=relation,
            age_band=AgeBand.THIRTIES,
            withdrawal=Withdrawal.UNDER_5Y,
            prefecture="東京都",
            topics=["family", "life"],
            referral=Referral.WINDOW,
            nickname="みどり",
            summary="生活リズムについて相談。区の相談窓口を案内した。",
            counsellor=counsellor,
            last_contact_at=timezone.now(),
        )
