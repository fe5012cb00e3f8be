"""How a message leaves the platform: the JSON each group robot expects, its signature, the HTTP
POST, and what counts as a failure; and e-mail through Django's backend.

Formats as the robots document them:
- 企业微信 (WeCom) group robot: `{"msgtype": "markdown", "markdown": {"content": …}}`; no signing;
  the answer is `{"errcode": 0, "errmsg": "ok"}`.
- 钉钉 (DingTalk) custom robot: `{"msgtype": "markdown", "markdown": {"title": …, "text": …}}`; with
  加签, `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(key=secret,
  msg=f"{timestamp}\\n{secret}"))) go in the query string; the answer carries `errcode`.
- 飞书 (Feishu) custom bot: `{"msg_type": "post", "content": {"post": {"zh_cn": …}}}`; with 签名校验,
  `timestamp` (s) and `sign` = base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b"")) go in
  the body; the answer carries `code` (older bots: `StatusCode`).
- A generic webhook gets `{"kind", "title", "text", "url"}`; with a secret, `X-Youthlink-Timestamp`
  (s) and `X-Youthlink-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}." + body)>`.

A non-2xx answer, a robot's error code, a time-out or a refused connection is a failure
(DeliveryError); the caller records it and retries. Redirects are not followed: a robot that
answers with one is misconfigured, and following it would post the message somewhere else."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from .models import ChannelKind

TIMEOUT_SECONDS = 5
MAX_ERROR_LENGTH = 500
USER_AGENT = "youthlink-notifications/1"


class DeliveryError(Exception):
    """The message did not go out; the text says why (kept on the Delivery for the admins)."""


def absolute_url(url: str) -> str:
    if url.startswith("/"):
        return settings.SITE_URL.rstrip("/") + url
    return url


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def webhook_signature(secret: str, timestamp_s: int, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), f"{timestamp_s}.".encode() + body, hashlib.sha256).hexdigest()


def build_request(*, kind: str, target: str, secret: str, title: str, body: str, url: str, message_kind: str,
                  now: dt.datetime) -> tuple[str, bytes, dict]:
    """The URL to post to, the JSON body and the extra headers, for one channel kind."""
    link = absolute_url(url)
    headers = {}
    with translation.override(settings.LANGUAGE_CODE):
        more = _("查看详情")
        if kind == ChannelKind.WECOM:
            content = f"**{title}**" + (f"\n{body}" if body else "") + (f"\n[{more}]({link})" if link else "")
            payload = {"msgtype": "markdown", "markdown": {"content": content}}
        elif kind == ChannelKind.DINGTALK:
            text = f"#### {title}" + (f"\n\n{body}" if body else "") + (f"\n\n[{more}]({link})" if link else "")
            payload = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
            if secret:
                timestamp = int(now.timestamp() * 1000)
                query = urllib.parse.urlencode({"timestamp": timestamp, "sign": dingtalk_sign(secret, timestamp)})
                target = f"{target}{'&' if '?' in target else '?'}{query}"
        elif kind == ChannelKind.FEISHU:
            lines = [[{"tag": "text", "text": body}]] if body else []
            if link:
                lines.append([{"tag": "a", "text": more, "href": link}])
            payload = {"msg_type": "post", "content": {"post": {"zh_cn": {"title": title, "content": lines}}}}
            if secret:
                timestamp = int(now.timestamp())
                payload = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp), **payload}
        elif kind == ChannelKind.WEBHOOK:
            payload = {"kind": message_kind, "title": title, "text": body, "url": link}
        else:
            raise DeliveryError(f"unknown channel kind {kind!r}")
    data = json.dumps(payload, ensure_ascii=False).encode()
    if kind == ChannelKind.WEBHOOK and secret:
        timestamp = int(now.timestamp())
        headers = {"X-Youthlink-Timestamp": str(timestamp),
                   "X-Youthlink-Signature": webhook_signature(secret, timestamp, data)}
    return target, data, headers


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def clip(text: str) -> str:
    return text if len(text) <= MAX_ERROR_LENGTH else text[:MAX_ERROR_LENGTH - 1] + "…"


def _robot_error(kind: str, answer: bytes) -> str | None:
    """The robot's own verdict in a 2xx answer: WeCom and DingTalk `errcode`, Feishu `code`."""
    if kind == ChannelKind.WEBHOOK:
        return None
    try:
        data = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return f"answer is not JSON: {answer[:200]!r}"
    if not isinstance(data, dict):
        return f"unexpected answer: {answer[:200]!r}"
    if kind in (ChannelKind.WECOM, ChannelKind.DINGTALK):
        code, message = data.get("errcode"), data.get("errmsg", "")
    else:
        code = data.get("code", data.get("StatusCode"))
        message = data.get("msg", data.get("StatusMessage", ""))
    if code is None:
        return f"answer without an error code: {answer[:200]!r}"
    if code != 0:
        return f"errcode {code}: {message}"
    return None


def check_public_host(target: str) -> None:
    """Refuse a URL whose host is (or resolves to) a loopback, private, link-local or reserved address,
    unless WEBHOOK_ALLOW_PRIVATE_ADDRESSES: an admin's webhook must not become a way to reach the
    server's own network (the answer's first lines are shown on the deliveries page)."""
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False):
        return
    host = urllib.parse.urlsplit(target).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise DeliveryError(clip(f"cannot resolve {host}: {exc}")) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            raise DeliveryError(f"refused: {host} is a private or local address ({address})")


def post(*, kind: str, target: str, secret: str, title: str, body: str, url: str, message_kind: str,
         now: dt.datetime) -> None:
    """POST one message to one robot or webhook; raise DeliveryError unless it was accepted."""
    if not target:
        raise DeliveryError("no webhook URL configured")
    check_public_host(target)
    address, data, extra = build_request(kind=kind, target=target, secret=secret, title=title, body=body, url=url,
                                         message_kind=message_kind, now=now)
    request = urllib.request.Request(address, data=data, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT, **extra})
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status, answer = response.status, response.read(64 * 1024)
    except urllib.error.HTTPError as exc:
        snippet = exc.read(300).decode("utf-8", "replace") if exc.fp else ""
        raise DeliveryError(clip(f"HTTP {exc.code}: {snippet}".strip())) from None
    except urllib.error.URLError as exc:
        raise DeliveryError(clip(f"connection failed: {exc.reason}")) from None
    except (TimeoutError, OSError, HTTPException, ValueError) as exc:
        raise DeliveryError(clip(f"{type(exc).__name__}: {exc}")) from None
    if not 200 <= status < 300:
        raise DeliveryError(clip(f"HTTP {status}: {answer[:300].decode('utf-8', 'replace')}"))
    problem = _robot_error(kind, answer)
    if problem:
        raise DeliveryError(clip(problem))


def email(*, to: list[str], subject: str, text: str) -> None:
    """One message through Django's e-mail backend (SMTP in production, locmem in tests)."""
    if not to:
        raise DeliveryError("no e-mail address")
    try:
        sent = EmailMessage(subject=subject, body=text, to=to).send(fail_silently=False)
    except (OSError, ValueError) as exc:  # smtplib.SMTPException is an OSError
        raise DeliveryError(clip(f"{type(exc).__name__}: {exc}")) from None
    if not sent:
        raise DeliveryError("the e-mail backend sent nothing")
