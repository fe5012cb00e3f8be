from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_create, name="create"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/photos/", views.add_photos, name="add_photos"),
    path("photos/<int:pk>/", views.visit_photo, name="photo"),
    path("pick/people/", views.pick_people, name="pick_people"),
    path("pick/orgs/", views.pick_social_orgs, name="pick_social_orgs"),
    path("pick/companions/", views.pick_companions, name="pick_companions"),
    path("month/<int:pk>/", views.month, name="month"),
    path("days/<int:pk>/", views.visit_days, name="days"),
    path("organisations/<int:pk>/", views.organisations, name="organisations"),
    path("targets/<int:pk>/", views.targets, name="targets"),
    path("rules/<int:pk>/", views.rules, name="rules"),
]
