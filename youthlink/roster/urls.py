from django.urls import path
from django.views.generic import TemplateView

app_name = "roster"
# Placeholder until the roster views land.
urlpatterns = [path("", TemplateView.as_view(template_name="base.html"), name="list")]
