from celery import shared_task

from . import services


@shared_task(name="residents.reminders")
def reminders() -> int:
    return services.send_reminders() + services.send_peer_reminders()


@shared_task(name="residents.expire_offers")
def expire_offers() -> int:
    return services.expire_individual_offers() + services.expire_seminar_offers()


@shared_task(name="residents.purge")
def purge() -> dict:
    return services.purge_due()
