from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(
    title="youthlink 青联圈 API",
    version="1",
    description="同页面一样的读写：组织、青年档案、三联与青年之友。会话登录（Cookie + CSRF）。",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": _("输入有误"), "errors": errors}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return api.create_response(request, {"detail": _("无权执行此操作")}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": _("未找到")}, status=404)


api.add_router("/", "youthlink.accounts.api.router")
api.add_router("/nodes", "youthlink.orgs.api.router")
api.add_router("/people", "youthlink.people.api.router")
api.add_router("/", "youthlink.liaison.api.router")
api.add_router("/audit", "youthlink.audit.api.router")
api.add_router("/notifications", "youthlink.notifications.api.router")
api.add_router("/visits", "youthlink.visits.api.router")
api.add_router("/pairing", "youthlink.pairing.api.router")
api.add_router("/appeals", "youthlink.appeals.api.router")
api.add_router("/appeals", "youthlink.appeals.handling_api.router")
api.add_router("/appeals", "youthlink.appeals.search_api.router")
api.add_router("/diary", "youthlink.diary.api.router")
api.add_router("/ratings", "youthlink.ratings.api.router")
