from django.contrib.auth.backends import ModelBackend

from youthlink.core import crypto
from youthlink.core.identity import MOBILE_RE, normalize_mobile

from .models import User


def login_key(value: str) -> str:
    """What a login name means: a mobile number however typed (+86, dashes, full-width), else a username."""
    value = (value or "").strip()
    mobile = normalize_mobile(value)
    return mobile if MOBILE_RE.fullmatch(mobile) else value.lower()


def axes_username(request, credentials) -> str:
    return login_key((credentials or {}).get("username", ""))


class MobileOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        key = login_key(username)
        if MOBILE_RE.fullmatch(key):
            user = User.objects.filter(mobile_hash=crypto.keyed_hash(key, purpose="mobile")).first()
        else:
            user = User.objects.filter(username__iexact=key).first()
        if user is None:
            User().set_password(password)  # same work as a real check, so timing reveals nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
