from celery import shared_task

from . import services


@shared_task(name="subsidies.reminders")
def reminders() -> int:
    """Daily: reminders before the closing day and before the report deadline (each sent once)."""
    return services.send_reminders()
