from celery import shared_task

from . import services


@shared_task(name="municipalities.deadline_reminders")
def deadline_reminders() -> int:
    return services.send_deadline_reminders()


@shared_task(name="municipalities.overdue_actions")
def overdue_actions() -> int:
    return services.remind_overdue_actions()
