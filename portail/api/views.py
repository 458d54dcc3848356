import re

from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from portail.api.api import api

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_ref(schema: dict, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def _inline_code(text: str) -> str:
    """The schema's descriptions mark names with backquotes: shown as code."""
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(text)))  # noqa: S308


def documentation(request):
    """The partners' documentation, in French and without script: every operation of the
    OpenAPI schema with its scope, parameters and answers; the schema itself is linked."""
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for url, item in schema["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = None
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if content and "$ref" in content["schema"]:
                body = _schema_ref(schema, content["schema"]["$ref"]).get("properties", {})
            operations.append(
                {
                    "method": method.upper(),
                    "url": url,
                    "summary": op.get("summary", ""),
                    "description": _inline_code(op.get("description", "")),
                    "scope": op.get("x-scope", ""),
                    "tag": (op.get("tags") or [""])[0],
                    "parameters": op.get("parameters", []),
                    "body": body,
                    "responses": sorted(op.get("responses", {})),
                    "anchor": op.get("operationId", ""),
                }
            )
    return render(
        request,
        "api/documentation.html",
        {
            "info": schema["info"],
            "description": _inline_code(schema["info"].get("description", "")),
            "operations": operations,
            "schema_url": reverse("api-v1:openapi-json"),
        },
    )
