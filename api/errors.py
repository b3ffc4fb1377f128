"""Errors under /api/ as JSON, in Chinese and English at once (docs/api.md):

    {"code": "not_found", "message_zh": "…", "message_en": "…"}            a 4xx or 5xx, never an HTML page
    {"code": "invalid", "message_zh": "…", "message_en": "…",
     "fields": {"visited_on": [{"message_zh": "…", "message_en": "…"}]}}  a 400 for a rejected body

The machine reads ``code``; a person reads the message in their language. Both messages are given because an
integration has no session and no language of its own.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils import translation
from rest_framework import exceptions, status
from rest_framework.response import Response

#: code -> (status, Chinese, English)
MESSAGES: dict[str, tuple[int, str, str]] = {
    "not_authenticated": (401, "需要有效的接口令牌（Authorization: Bearer …）。",
                          "A valid API token is required (Authorization: Bearer …)."),
    "authentication_failed": (401, "接口令牌无效、已撤销或其账号已停用。",
                              "The API token is unknown, revoked, or its account is inactive."),
    "permission_denied": (403, "您无权执行此操作。", "You are not allowed to do this."),
    "read_only_token": (403, "该令牌只读，不能写入。", "This token is read-only: it cannot write."),
    "reveal_not_allowed": (403, "该令牌或账号无权查看完整身份证号和电话。",
                           "This token or account may not reveal full ID numbers and phones."),
    "not_found": (404, "不存在，或不在您的管辖范围内。", "Not found, or not in your scope."),
    "method_not_allowed": (405, "不支持该请求方法。", "This method is not allowed here."),
    "not_acceptable": (406, "无法按所要求的格式返回。", "Cannot answer in the requested format."),
    "unsupported_media_type": (415, "请以 JSON 提交（Content-Type: application/json）。",
                               "Send JSON (Content-Type: application/json)."),
    "parse_error": (400, "请求内容无法解析。", "The request body could not be parsed."),
    "invalid": (400, "提交的内容有误，请按字段说明修改。", "Some fields are invalid: see each field's message."),
    "invalid_parameter": (400, "查询参数有误。", "A query parameter is invalid."),
    "idempotency_key_reused": (422, "该 Idempotency-Key 已用于另一内容不同的请求；重试请原样提交，新请求请换一个新键。",
                               "This Idempotency-Key was used for a different request: retry with the same body, "
                               "or use a new key for a new request."),
    "idempotency_key_invalid": (400, "Idempotency-Key 须为 1–128 个可见字符。",
                                "The Idempotency-Key must be 1 to 128 printable characters."),
    "throttled": (429, "请求过于频繁，请在 %(wait)s 秒后重试。", "Too many requests: try again in %(wait)s seconds."),
    "server_error": (500, "服务器出错，请稍后重试。", "Server error: please try again later."),
}


class ApiError(exceptions.APIException):
    """An error of ours, by code (MESSAGES), optionally with a message of its own in both languages."""

    def __init__(self, code: str, *, zh: str | None = None, en: str | None = None, fields: dict | None = None):
        status_code, default_zh, default_en = MESSAGES[code]
        self.status_code = status_code
        self.code = code
        self.zh, self.en = zh or default_zh, en or default_en
        self.fields = fields
        super().__init__(detail=self.en, code=code)


def body(code: str, *, zh: str | None = None, en: str | None = None, fields: dict | None = None, **params) -> dict:
    _status, default_zh, default_en = MESSAGES[code]
    data = {"code": code, "message_zh": (zh or default_zh) % params if params else (zh or default_zh),
            "message_en": (en or default_en) % params if params else (en or default_en)}
    if fields:
        data["fields"] = fields
    return data


def in_both(messages) -> list[dict]:
    """Lazily translated messages (a form's errors) as [{"message_zh", "message_en"}]."""
    out = []
    for message in messages:
        with translation.override("zh-hans"):
            zh = str(message)
        with translation.override("en"):
            en = str(message)
        out.append({"message_zh": zh, "message_en": en})
    return out


def form_errors(form) -> dict:
    """A rejected form's errors, field by field ("__all__" for the form's own), in both languages."""
    fields = {}
    for name, errors in form.errors.as_data().items():
        messages = [m for error in errors for m in _lazy_messages(error)]
        fields[name] = in_both(messages)
    return fields


def _lazy_messages(error: DjangoValidationError):
    """The messages of a ValidationError, still lazy where they were (so that each language renders its own)."""
    for e in error.error_list:
        message = e.message
        if e.params:
            yield _Formatted(message, e.params)
        else:
            yield message


class _Formatted:
    def __init__(self, message, params):
        self.message, self.params = message, params

    def __str__(self) -> str:
        return str(self.message) % self.params


_DRF_CODES = {
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.ParseError: "parse_error",
}


def exception_handler(exc, context):
    """DRF's handler (headers such as WWW-Authenticate and Retry-After), with our body."""
    # Imported here: rest_framework.views imports this module (the EXCEPTION_HANDLER setting).
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a 500: Django's handler500 (config/urls.py) answers JSON under /api/
    if isinstance(exc, ApiError):
        data = {"code": exc.code, "message_zh": exc.zh, "message_en": exc.en}
        if exc.fields:
            data["fields"] = exc.fields
    elif isinstance(exc, exceptions.Throttled):
        data = body("throttled", wait=int(exc.wait or 1))
    elif isinstance(exc, exceptions.ValidationError):
        data = body("invalid", fields={name: [{"message_zh": str(m), "message_en": str(m)} for m in _listed(v)]
                                       for name, v in _as_dict(exc.detail).items()})
    else:
        code = next((c for cls, c in _DRF_CODES.items() if isinstance(exc, cls)), None)
        data = body(code) if code else {"code": getattr(exc, "default_code", "error"),
                                        "message_zh": str(exc.detail), "message_en": str(exc.detail)}
    response.data = data
    return response


def _as_dict(detail) -> dict:
    return detail if isinstance(detail, dict) else {"__all__": detail}


def _listed(value) -> list:
    return value if isinstance(value, list) else [value]


# --- Django's own 404 and 500 under /api/ (a URL that matches no route, an unexpected error) --------------------


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def json_404(request) -> JsonResponse:
    return JsonResponse(body("not_found"), status=status.HTTP_404_NOT_FOUND,
                        json_dumps_params={"ensure_ascii": False})


def json_500(request) -> JsonResponse:
    return JsonResponse(body("server_error"), status=status.HTTP_500_INTERNAL_SERVER_ERROR,
                        json_dumps_params={"ensure_ascii": False})


def error_response(code: str, **kwargs) -> Response:
    return Response(body(code, **kwargs), status=MESSAGES[code][0])


def handler404(request, exception=None):
    """config/urls.py: JSON under /api/, Django's page elsewhere."""
    if is_api(request):
        return json_404(request)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if is_api(request):
        return json_500(request)
    from django.views.defaults import server_error

    return server_error(request)
