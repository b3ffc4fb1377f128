"""The OpenAPI document's shared parts: the bearer token, and the JSON error every operation may answer."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR = {
    "type": "object",
    "required": ["code", "message_zh", "message_en"],
    "properties": {
        "code": {"type": "string", "description": "For machines: not_found, read_only_token, invalid, throttled …"},
        "message_zh": {"type": "string"},
        "message_en": {"type": "string"},
        "fields": {
            "type": "object", "description": "A rejected body: the messages of each field (`__all__`: the whole).",
            "additionalProperties": {"type": "array", "items": {
                "type": "object", "properties": {"message_zh": {"type": "string"}, "message_en": {"type": "string"}},
            }},
        },
    },
}

ERRORS = {
    "400": "Invalid body or query parameter",
    "401": "No token, or an unknown, revoked or inactive one",
    "403": "In scope but not allowed (a read-only token writing, a role that may not, a reveal without the right)",
    "404": "Missing, or out of the token's scope (the same answer)",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "415": "Unsupported media type",
    "429": "Too many requests (see Retry-After)",
}
WRITE_ERRORS = {"422": "The Idempotency-Key was used for another request"}


def add_errors(result, generator, request, public):
    """Postprocessing hook: every operation documents the error shape for the errors it may answer."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    ref = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            codes = {**ERRORS, **(WRITE_ERRORS if method == "post" else {})}
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, "content": {"application/json": {"schema": ref}}})
    return result


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token made on 接口令牌 (/api/tokens/): lht_…"}
