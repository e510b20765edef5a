from celery import shared_task

from . import services


@shared_task(name="casereviews.meeting_reminders")
def meeting_reminders() -> int:
    return services.send_meeting_reminders()


@shared_task(name="casereviews.report_reminders")
def report_reminders() -> int:
    return services.send_report_reminders()


@shared_task(name="casereviews.purge")
def purge() -> int:
    return services.purge_due_cases()
