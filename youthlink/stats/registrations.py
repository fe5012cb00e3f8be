"""The stats app keeps its pre-aggregated cells right by listening to the records the registered
figures count: a save or delete of such a record (or of a `Source.watch` model) marks the node it is
counted at, and the node is recounted once the transaction commits. Services that write in bulk
(a conditional UPDATE, a roster import) announce it with `emit("records.changed", ...)`, and bulk
loaders with `emit("records.bulk_loaded")`. A nightly job recounts everything as a safety net."""
from celery.schedules import crontab
from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from youthlink.accounts.models import Role
from youthlink.core import registry
from youthlink.core.registry import register_listener, register_menu_item, register_periodic

from . import engine

_WATCHED: dict = {}  # model -> [node field path]


def _model(label_or_model):
    return apps.get_model(label_or_model) if isinstance(label_or_model, str) else label_or_model


def _watch(model, node_path: str) -> None:
    paths = _WATCHED.setdefault(model, [])
    if node_path not in paths:
        paths.append(node_path)


def _nodes(instance) -> set[int]:
    nodes: set[int] = set()
    for path in _WATCHED.get(type(instance), ()):
        nodes |= engine.nodes_of_instance(registry.Source(queryset=None, node=path), instance)
    return nodes


def _on_save(sender, instance, raw=False, **kwargs):
    if not raw:
        engine.mark_changed(_nodes(instance), models=[sender])


def _on_delete(sender, instance, **kwargs):
    engine.mark_changed(_nodes(instance), models=[sender])


def _on_m2m(sender, instance, action, model, pk_set, **kwargs):
    """Rows of an automatic through table (a visit's social organisations) come and go without
    post_save: mark the nodes of the rows concerned, read before a removal and after an addition."""
    if action not in ("post_add", "pre_remove", "pre_clear"):
        return
    forward = next(f for f in sender._meta.fields if f.is_relation and isinstance(instance, f.related_model))
    rows = sender.objects.filter(**{forward.name: instance.pk})
    if pk_set:
        other = next(f for f in sender._meta.fields if f.is_relation and f.related_model is model
                     and f is not forward)
        rows = rows.filter(**{f"{other.name}__in": pk_set})
    nodes: set[int] = set()
    for path in _WATCHED.get(sender, ()):
        nodes |= set(rows.values_list(path or "pk", flat=True))
    engine.mark_changed(nodes, models=[sender])


def connect() -> None:
    for figure in registry.figures():
        for source in figure.sources:
            _watch(source.queryset().model, source.node)
            for model, path in source.watch:
                _watch(_model(model), path)
    for model in _WATCHED:
        uid = f"stats:{model._meta.label}"
        if model._meta.auto_created:
            m2m_changed.connect(_on_m2m, sender=model, dispatch_uid=uid)
        else:
            post_save.connect(_on_save, sender=model, dispatch_uid=uid)
            post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)


def _records_changed(*, instances=(), node_ids=(), **kwargs):
    """Records written in bulk: the figures that count the instances' models at their nodes, and every
    figure at the nodes given by id (a roster import)."""
    for instance in instances:
        engine.mark_changed(_nodes(instance), models=[type(instance)])
    engine.mark_changed(node_ids)


def _bulk_loaded(**kwargs):
    engine.rebuild()


connect()
register_listener("records.changed", _records_changed)
register_listener("records.bulk_loaded", _bulk_loaded)
register_periodic("stats.rebuild", "youthlink.stats.tasks.rebuild_stats", crontab(minute=40, hour=3),
                  description="夜间按原始记录重算全部看板数据（批量写入的兜底）")
register_menu_item("stats.dashboard", _("数据看板"), "stats:dashboard", roles={Role.ADMIN, Role.SECRETARY}, order=60)
