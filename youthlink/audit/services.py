from .models import AuditEvent


def audit_record(*, actor, action: str, target=None, target_type: str = "", node=None,
                 field: str = "", reason: str = "", data: dict | None = None,
                 target_label: str = "") -> AuditEvent:
    """Write one audit row inside the caller's transaction (so it exists iff the change does)."""
    if target is not None:
        target_type = target_type or target._meta.label_lower
    return AuditEvent.objects.create(
        actor_id=getattr(actor, "pk", None),
        actor_label=(getattr(actor, "display_name", None) or str(actor or "系统"))[:80],
        action=action,
        target_type=target_type,
        target_id=getattr(target, "pk", None),
        target_label=(target_label or (str(target) if target is not None else ""))[:80],
        node_path=getattr(node, "path", "") or "",
        field=field,
        reason=reason[:300],
        data=data or {},
    )
