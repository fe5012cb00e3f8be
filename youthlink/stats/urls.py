from django.urls import path

from . import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cadres/", views.cadres, name="cadres"),
    path("figure/<str:key>/", views.figure, name="figure"),
    path("figure/<str:key>/records/", views.records, name="records"),
]
