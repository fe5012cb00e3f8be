from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .api import api

admin.site.site_header = "青联圈 管理后台"
admin.site.site_title = "青联圈"
admin.site.index_title = "管理"

urlpatterns = [
    path("", include("youthlink.core.urls")),
    path("accounts/", include("youthlink.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", include("youthlink.people.urls")),
    path("nodes/", include("youthlink.orgs.urls")),
    path("", include("youthlink.liaison.urls")),
    path("roster/", include("youthlink.roster.urls")),
    path("audit/", include("youthlink.audit.urls")),
    path("notifications/", include("youthlink.notifications.urls")),
    path("visits/", include("youthlink.visits.urls")),
    path("pairing/", include("youthlink.pairing.urls")),
    path("appeals/", include("youthlink.appeals.urls")),
    path("diary/", include("youthlink.diary.urls")),
    path("ratings/", include("youthlink.ratings.urls")),
    path("stats/report/", include("youthlink.stats.report_urls")),
    path("stats/", include("youthlink.stats.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
