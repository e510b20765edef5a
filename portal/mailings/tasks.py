from celery import shared_task

from . import services


@shared_task(name="mailings.send")
def send_mailing(*, mailing_id: int) -> int:
    mailing = services.mailing_run(mailing_id)
    return mailing.done if mailing else 0


@shared_task(name="mailings.restart_stale")
def restart_stale_mailings() -> int:
    return services.restart_stale()
