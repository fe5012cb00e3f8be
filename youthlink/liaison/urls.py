from django.urls import path

from . import views

app_name = "liaison"
urlpatterns = [
    path("invite/", views.invite, name="invite"),
    path("invite/print/", views.invite_print, name="invite_print"),
    path("invite/qr.svg", views.invite_qr_svg, name="invite_qr"),
    path("invite/rotate/", views.invite_rotate, name="invite_rotate"),
    path("j/<str:token>/", views.join, name="join"),
    path("cadres/<int:pk>/", views.cadre_detail, name="cadre"),
    path("cadres/<int:pk>/candidates/", views.link_candidates, name="candidates"),
    path("cadres/<int:pk>/links/", views.link_add, name="link_add"),
    path("links/<int:pk>/remove/", views.link_remove, name="link_remove"),
    path("people/<int:person_pk>/bind/", views.bind_person, name="bind"),
]
