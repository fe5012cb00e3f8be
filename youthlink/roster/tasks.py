from celery import shared_task

from .services import import_job_run


@shared_task(name="roster.import_job_run", acks_late=True)
def import_job_run_task(job_id: int) -> None:
    """Thin wrapper: the service claims the job, so a duplicate or retried delivery does nothing."""
    import_job_run(job_id=job_id)
