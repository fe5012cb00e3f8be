from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("new/", views.create, name="create"),
    path("list/", views.area_list, name="list"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/comments/", views.comment, name="comment"),
]
