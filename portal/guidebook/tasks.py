from celery import shared_task

from . import services


@shared_task(name="guidebook.build_pdf")
def build_pdf(*, build_id: int) -> int:
    build = services.build_run(build_id)
    return build.pages if build else 0


@shared_task(name="guidebook.restart_stale_builds")
def restart_stale_builds() -> int:
    return services.restart_stale_builds()
