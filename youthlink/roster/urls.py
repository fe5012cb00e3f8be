from django.urls import path

from . import views

app_name = "roster"
urlpatterns = [
    path("", views.roster_list, name="list"),
    path("template.xlsx", views.roster_template, name="template"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("jobs/<int:job_id>/progress/", views.job_progress, name="progress"),
    path("jobs/<int:job_id>/rejected.xlsx", views.job_rejected, name="rejected"),
]
