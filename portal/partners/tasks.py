from celery import shared_task

from . import services


@shared_task(name="partners.reminders")
def reminders() -> int:
    return services.send_reminders()
