from celery import shared_task

from . import services


@shared_task(name="meetings.expire_offers")
def expire_offers() -> int:
    return services.expire_offers()


@shared_task(name="meetings.reminders")
def reminders() -> int:
    return services.send_reminders()
