from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.node_list, name="list"),
    path("<int:pk>/", views.node_detail, name="detail"),
    path("<int:pk>/social-orgs/new/", views.social_org_create, name="social_org_create"),
]
