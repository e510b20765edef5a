"""Celery tasks take ids, reload the row and are safe to run twice (see outbox.deliver)."""

from celery import shared_task

from . import outbox


@shared_task(name="core.send_email", acks_late=True)
def send_email(*, mail_id: int) -> str:
    return outbox.deliver(mail_id)


@shared_task(name="core.outbox_flush")
def outbox_flush() -> int:
    return outbox.flush()


@shared_task(name="core.outbox_prune")
def outbox_prune() -> int:
    return outbox.prune()


@shared_task(name="core.purge_due")
def purge_due() -> dict[str, int]:
    """Every registered purge kind, past its retention (portal.core.purge): the count per kind."""
    from . import purge

    return purge.purge_due()
