from django.conf import settings
from django.contrib.auth import login, logout
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .forms import LoginForm


@sensitive_post_parameters("password")
def login_view(request):
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        if form.user.language:
            response = redirect(next_url)
            response.set_cookie("django_language", form.user.language, samesite="Lax")
            return response
        return redirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


def locked_view(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("登录失败次数过多，请%(m)d分钟后再试") % {"m": minutes}}, status=429)
    return render(request, "accounts/locked.html", {"minutes": minutes}, status=429)
