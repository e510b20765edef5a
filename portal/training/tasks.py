from celery import shared_task

from . import services


@shared_task(name="training.issue_certificates")
def issue_certificates(*, batch_id: int) -> int:
    batch = services.certificate_batch_run(batch_id)
    return batch.done if batch else 0


@shared_task(name="training.expire_offers")
def expire_offers() -> int:
    return services.expire_offers()


@shared_task(name="training.reminders")
def reminders() -> int:
    return services.send_reminders()


@shared_task(name="training.restart_stale_batches")
def restart_stale_batches() -> int:
    return services.restart_stale_batches()
