from django.urls import path

from . import report_views

app_name = "stats_report"

urlpatterns = [
    path("", report_views.report_page, name="report"),
    path("checks/", report_views.checks_page, name="checks"),
]
