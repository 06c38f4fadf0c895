"""The API reference for developers: how to authenticate and page, and every operation, drawn from the same OpenAPI
schema that /api/v1/schema/ serves (so the page and the schema never disagree)."""

import functools

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

from carenetwork.api.models import Area

METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def _operations() -> list[tuple[str, list[dict]]]:
    """The schema's operations grouped by tag, read once per process (the schema changes only with the code)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    groups: dict[str, list[dict]] = {}
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            description = (operation.get("description") or "").strip().split("\n\n")[0]
            parameters = [
                {
                    "name": p["name"],
                    "where": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                }
                for p in operation.get("parameters", [])
            ]
            groups.setdefault((operation.get("tags") or ["other"])[0], []).append(
                {"method": method.upper(), "path": path, "description": description, "parameters": parameters}
            )
    return sorted(groups.items())


def reference(request):
    """Open to everyone, as any API's documentation is; the data itself needs a token."""
    return render(request, "api/reference.html", {"groups": _operations(), "areas": Area.choices})
