"""A county's own request categories (服务领域) next to the built-in ones, each with its deadlines."""
from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from youthlink.audit.models import AuditAction
from youthlink.audit.services import audit_record

from ..models import Category
from ..permissions import can_manage_categories

LIMITS = {"response_days": (1, 60), "resolve_days": (1, 120), "complex_resolve_days": (1, 240)}


def _days(values: dict, errors: dict) -> dict:
    out = {}
    for field, (low, high) in LIMITS.items():
        try:
            value = int(values[field])
        except (KeyError, TypeError, ValueError):
            errors[field] = [_("请填写工作日天数")]
            continue
        if not low <= value <= high:
            errors[field] = [_("应在 %(low)d 到 %(high)d 个工作日之间") % {"low": low, "high": high}]
        out[field] = value
    if not errors and out["resolve_days"] < out["response_days"]:
        errors["resolve_days"] = [_("办结时限不能短于首次响应时限")]
    if not errors and out["complex_resolve_days"] < out["resolve_days"]:
        errors["complex_resolve_days"] = [_("复杂诉求的时限不能短于一般诉求")]
    return out


def _key(county, name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", "-".join(lazy_pinyin(name)).lower()).strip("-")[:30] or "category"
    key, n = base, 2
    while Category.objects.filter(county=county, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


def category_create(*, actor, county, name: str, response_days, resolve_days, complex_resolve_days) -> Category:
    """A county adds a category of its own (e.g. 茶叶销售), offered to everyone in the county."""
    if not can_manage_categories(actor, county):
        raise PermissionDenied
    errors: dict = {}
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 20:
        errors["name"] = [_("类别名称 2–20 个字")]
    elif Category.objects.filter(Q(county=county) | Q(county__isnull=True), name=name).exists():
        errors["name"] = [_("已有同名类别")]
    days = _days({"response_days": response_days, "resolve_days": resolve_days,
                  "complex_resolve_days": complex_resolve_days}, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        category = Category.objects.create(county=county, key=_key(county, name), name=name, position=500, **days)
        audit_record(actor=actor, action=AuditAction.APPEAL_CATEGORY, target=category, node=county,
                     target_label=name, data={"created": True, **days})
    return category


def category_update(*, actor, category: Category, response_days, resolve_days, complex_resolve_days,
                    is_active: bool) -> Category:
    """A county changes the deadlines of one of its own categories, or stops offering it (requests
    already filed keep it)."""
    if category.county_id is None or not can_manage_categories(actor, category.county):
        raise PermissionDenied
    errors: dict = {}
    days = _days({"response_days": response_days, "resolve_days": resolve_days,
                  "complex_resolve_days": complex_resolve_days}, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for field, value in days.items():
            setattr(category, field, value)
        category.is_active = bool(is_active)
        category.save()
        audit_record(actor=actor, action=AuditAction.APPEAL_CATEGORY, target=category, node=category.county,
                     target_label=category.name, data={"is_active": category.is_active, **days})
    return category
