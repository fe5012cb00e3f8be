from django.urls import reverse
from django.utils.translation import gettext as _

from youthlink.accounts.access import memberships, roles_at
from youthlink.accounts.models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    roles = roles_at(user)
    items = [(_("首页"), reverse("core:home"))]
    if roles:
        items.append((_("青年"), reverse("people:list")))
        items.append((_("组织"), reverse("orgs:list")))
    if Role.CADRE in roles:
        items.append((_("我的二维码"), reverse("liaison:invite")))
    if Role.ADMIN in roles or Role.SECRETARY in roles:
        items.append((_("名册导入"), reverse("roster:list")))
    if Role.ADMIN in roles:
        items.append((_("审计日志"), reverse("audit:list")))
    if user.is_superuser:
        items.append((_("后台"), reverse("admin:index")))
    path = request.path
    nav = [{"label": label, "url": url, "active": (path == url) if url == "/" else path.startswith(url)}
           for label, url in items]
    return {"nav_items": nav, "my_memberships": memberships(user)}
