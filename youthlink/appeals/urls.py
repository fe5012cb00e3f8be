from django.urls import path  # noqa: F401

app_name = "appeals"
urlpatterns: list = []

# --- handling (听结办): escalate, refer, respond, resolve, confirm ---------------------------------
from . import handling_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/escalate/", handling_views.escalate, name="escalate"),
    path("<int:pk>/partners/", handling_views.partners, name="partners"),
    path("<int:pk>/refer/", handling_views.refer, name="refer"),
    path("<int:pk>/respond/", handling_views.respond, name="respond"),
    path("<int:pk>/resolve/", handling_views.resolve, name="resolve"),
    path("<int:pk>/confirm/", handling_views.confirm, name="confirm"),
    path("photos/<int:pk>/", handling_views.update_photo, name="update_photo"),
]
