"""The OpenAPI schema's shared parts: the token scheme, and the problem-details answers every operation can give,
so that clients (and schemathesis) know every status the API may send."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from carenetwork.api.pagination import LARGEST

PROBLEM = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"pointer": {"type": "string"}, "detail": {"type": "string"}},
                "required": ["pointer", "detail"],
            },
        },
    },
    "required": ["type", "title", "status"],
}
ANSWERS = {
    "400": "The request has errors: see `errors`.",
    "401": "No valid token or session.",
    "403": "The token or person may not do this.",
    "404": "Not found, or not yours to see.",
    "405": "The method is not allowed here.",
    "406": "The Accept header asks for something the API does not give.",
    "415": "The body's media type is not JSON or a form.",
    "429": "Too many requests: wait the seconds in Retry-After.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}


class OrganisationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "carenetwork.api.authentication.OrganisationTokenAuthentication"
    name = "organisationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An organisation token made on the portal's API tokens page: `Authorization: Bearer cn_…`",
        }


def add_problem_answers(result, generator, request, public):
    """Postprocessing hook: the Problem component, and every error status on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    reference = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            _ids_in_range(operation.get("parameters", []))
            answers = operation.setdefault("responses", {})
            for code, description in ANSWERS.items():
                answer = answers.setdefault(code, {"description": description, "content": reference})
                if code == "429":
                    answer["headers"] = RETRY_AFTER
    return result


def _ids_in_range(parameters: list[dict]) -> None:
    """Every whole-number parameter (ids, pages) runs from 1 to the largest id the database holds, unless the view
    said otherwise: the API answers 400 outside that, and the schema says so."""
    for parameter in parameters:
        schema = parameter.get("schema", {})
        if schema.get("type") == "integer":
            schema.setdefault("minimum", 1)
            schema.setdefault("maximum", LARGEST)
