"""Work diary (工作网络日记): check-in at the contact point, diary entries, county review, comments."""
from django.urls import path

from . import views

app_name = "diary"
urlpatterns = [
    path("", views.home, name="home"),
    path("checkin/", views.checkin, name="checkin"),
    path("checkins/<int:pk>/write/", views.write, name="write"),
    path("checkins/<int:pk>/draft/", views.draft, name="draft"),
    path("queue/", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("cadres/<int:pk>/", views.profile, name="profile"),
    path("cadres/<int:pk>/contact-point/", views.contact_point, name="contact_point"),
    path("cadres/<int:pk>/summary/", views.summary, name="summary"),
    path("settings/<int:pk>/", views.settings_page, name="settings"),
]
