from celery import shared_task

from . import engine


@shared_task(name="youthlink.stats.tasks.refresh_stats_nodes", acks_late=True)
def refresh_stats_nodes(node_ids: list[int]) -> int:
    """Recount the dashboard cells of these nodes (idempotent: a recount, not an increment)."""
    return engine.refresh_nodes(node_ids)


@shared_task(name="youthlink.stats.tasks.rebuild_stats", acks_late=True)
def rebuild_stats() -> int:
    """Nightly: recount every cell from the records, so nothing a bulk write missed survives a day."""
    return engine.rebuild()
