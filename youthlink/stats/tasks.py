from celery import shared_task

from . import engine


@shared_task(name="youthlink.stats.tasks.refresh_stats_nodes", acks_late=True)
def refresh_stats_nodes(node_ids: list[int], keys: list[str] | None = None) -> int:
    """Recount the dashboard cells of these nodes, for the figures with these keys (None: all of them;
    idempotent: a recount, not an increment)."""
    return engine.refresh_nodes(node_ids, keys)


@shared_task(name="youthlink.stats.tasks.refresh_stats_changes", acks_late=True)
def refresh_stats_changes(groups: list) -> int:
    """The changes of one commit, [[node ids, keys or None], ...]: each group's nodes recounted for its
    figures (None: all of them), in one transaction."""
    return engine.refresh(groups)


@shared_task(name="youthlink.stats.tasks.rebuild_stats", acks_late=True)
def rebuild_stats() -> int:
    """Nightly: recount every cell from the records, so nothing a bulk write missed survives a day."""
    return engine.rebuild()
