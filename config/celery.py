import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("youthlink")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _register_periodic_jobs(sender, **kwargs):
    """Every feature's periodic job (registered in its AppConfig.ready) goes on the beat schedule."""
    from youthlink.core.registry import PERIODIC

    for job in PERIODIC.values():
        sender.add_periodic_task(job.schedule, sender.signature(job.task), name=job.key)
