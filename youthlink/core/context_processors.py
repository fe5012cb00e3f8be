from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from youthlink.accounts.access import roles_at
from youthlink.accounts.models import Role
from youthlink.core.registry import menu_items
from youthlink.notifications.selectors import unread_count


def navigation(request):
    """Lazy, so partials (htmx fragments) that never show the menu cost no query for it."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {"nav_items": SimpleLazyObject(lambda: _nav_items(request, user))}


def _nav_items(request, user) -> list[dict]:
    roles = roles_at(user)
    items = [(_("首页"), reverse("core:home"))]
    if roles:
        items.append((_("青年"), reverse("people:list")))
        items.append((_("组织"), reverse("orgs:list")))
    for item in menu_items():
        # A young person is signed in without any staff role (a superuser without one is not).
        if (not roles and not user.is_superuser) if item.youth else (not item.roles or roles & item.roles):
            items.append((item.label, reverse(item.url_name)))
    if Role.ADMIN in roles:
        items.append((_("审计日志"), reverse("audit:list")))
    unread = unread_count(user)
    items.append((_("通知"), reverse("notifications:list")))
    if user.is_superuser:
        items.append((_("后台"), reverse("admin:index")))
    path = request.path
    nav = [{"label": label, "url": url, "active": (path == url) if url == "/" else path.startswith(url),
            "badge": unread if url == reverse("notifications:list") and unread else None}
           for label, url in items]
    return nav
