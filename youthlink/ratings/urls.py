from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("cadres/<int:pk>/rate/", views.rate, name="rate"),
    path("received/", views.received, name="received"),
    path("cadres/<int:pk>/", views.cadre_ratings, name="cadre"),
    path("surveys/", views.survey_list, name="surveys"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/qr.png", views.survey_qr, name="survey_qr"),
    path("s/<str:token>/", views.answer, name="answer"),
]
