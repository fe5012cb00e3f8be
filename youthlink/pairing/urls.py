from django.urls import path

from . import views

app_name = "pairing"
urlpatterns = [
    path("", views.pairing_list, name="list"),
    path("new/", views.pairing_create, name="create"),
    path("<int:pk>/", views.pairing_detail, name="detail"),
    path("<int:pk>/card/", views.pairing_card_page, name="card"),
    path("<int:pk>/card.pdf", views.pairing_card_pdf, name="card_pdf"),
    path("<int:pk>/end/", views.pairing_end, name="end"),
    path("<int:pk>/events/", views.event_create, name="event_create"),
    path("tasks/", views.task_list, name="tasks"),
    path("overdue/", views.overdue_list, name="overdue"),
    path("rules/<int:county_pk>/", views.rules, name="rules"),
]
