from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from youthlink.core import crypto
from youthlink.core.identity import validate_mobile

from .models import Membership, Role, User


def _mobile_taken(mobile_hash: str, exclude_pk=None) -> bool:
    qs = User.objects.filter(mobile_hash=mobile_hash)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


@transaction.atomic
def user_create(*, name: str, password: str | None, mobile: str = "", username: str = "",
                is_superuser: bool = False) -> User:
    """An account that can log in by mobile number or by username."""
    mobile = validate_mobile(mobile) if mobile else ""
    mobile_hash = crypto.keyed_hash(mobile, purpose="mobile") if mobile else None
    if mobile_hash and _mobile_taken(mobile_hash):
        raise ValidationError({"mobile": _("该手机号已注册")})
    username = (username or (f"m{mobile}" if mobile else "")).strip().lower()
    if not username:
        raise ValidationError({"username": _("请填写用户名或手机号")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("该用户名已被使用")})
    user = User(username=username, name=name.strip(), mobile=mobile, mobile_hash=mobile_hash,
                is_superuser=is_superuser, is_staff=is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError({"mobile": _("该手机号已注册")}) from None
    return user


@transaction.atomic
def membership_grant(*, user: User, node, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("未知角色"))
    membership, _created = Membership.objects.update_or_create(
        user=user, node=node, role=role, defaults={"is_active": True})
    user.__dict__.pop("_yl_memberships", None)
    return membership
