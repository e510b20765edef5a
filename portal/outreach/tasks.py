from celery import shared_task

from . import services


@shared_task(name="outreach.reminders")
def reminders() -> int:
    return services.send_reminders()


@shared_task(name="outreach.purge")
def purge() -> int:
    return services.purge_due_referrals()
