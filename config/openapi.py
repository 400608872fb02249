"""What the OpenAPI schema says beyond what drf-spectacular infers from the views.

- the token scheme (knox, behind config/token_auth.py);
- the error answers every operation can give, in the one error shape
  ``{"code", "detail", "rules"?}`` (bookings/api_errors.py, config/api_error_codes.py)
  or DRF's field errors, so that integrators and schema-driven tests know them;
- the allowed values of filters whose views read them by hand.

Imported by config/urls.py, which loads before any schema is generated.
"""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from bookings.models import Status

ERROR = {
    "type": "object",
    "description": "A refusal: `code` names the rule, `detail` says it in plain words.",
    "properties": {
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "rules": {
            "type": "array",
            "description": "Every overridable rule the request broke (bookings).",
            "items": {
                "type": "object",
                "properties": {"code": {"type": "string"}, "detail": {"type": "string"}},
                "required": ["code", "detail"],
            },
        },
    },
    "required": ["code", "detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Invalid fields: each field's name with its messages.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
FIELD_ERRORS_REF = {"$ref": "#/components/schemas/FieldErrors"}
WRITES = {"post", "put", "patch"}
# Filters read from the query string by hand, with the values they accept.
FILTER_ENUMS = {("/api/v1/appointments/", "status"): [choice.value for choice in Status]}


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "config.token_auth.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'A token from POST /api/v1/auth/token/, sent as "Token <token>".',
        }


def _answer(description: str, *schemas: dict[str, str]) -> dict[str, Any]:
    schema = schemas[0] if len(schemas) == 1 else {"oneOf": list(schemas)}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error_answers(path: str, method: str, operation: dict[str, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    params = operation.get("parameters", [])
    if method in WRITES or params:
        answers["400"] = _answer("Invalid input or a rule refused it.", ERROR_REF, FIELD_ERRORS_REF)
    if operation.get("security") and {} not in operation["security"]:
        answers["401"] = _answer("Not signed in, or the token expired or was revoked.", ERROR_REF)
        answers["403"] = _answer("Signed in, but this role may not do this.", ERROR_REF)
    if any(param["in"] == "path" for param in params):
        answers["404"] = _answer("No such record.", ERROR_REF)
    if method in WRITES and path.startswith("/api/v1/appointments/"):
        answers["409"] = _answer(
            "The time was taken meanwhile (slot_taken) or the patient is busy then.", ERROR_REF
        )
    return answers


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook (SPECTACULAR_SETTINGS)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            for status, answer in _error_answers(path, method, operation).items():
                operation["responses"].setdefault(status, answer)
            for param in operation.get("parameters", []):
                values = FILTER_ENUMS.get((path, param["name"]))
                if values and param["in"] == "query":
                    param["schema"] = {**param["schema"], "enum": values}
    return result
