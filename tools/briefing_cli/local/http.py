"""API Gateway HTTP API (payload 2.0) requests to the functions behind the template's routes.

moto does not model HTTP APIs, so the local runner plays API Gateway: it matches a request to a
route declared in template.yaml (`Events: Type: HttpApi`), builds the event the way API Gateway
would (path parameters, query string, JWT or IAM authoriser context) and invokes the function.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from briefing_cli.local.runtime import invoke
from briefing_cli.local.stack import LocalStack


@dataclass(frozen=True)
class Route:
    function: str
    method: str
    path: str
    pattern: re.Pattern[str]
    authorizer: str | None


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: dict[str, str]
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def routes(stack: LocalStack, template: dict[str, Any]) -> list[Route]:
    found = []
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        for event in resource["Properties"].get("Events", {}).values():
            if event["Type"] != "HttpApi":
                continue
            props = event["Properties"]
            path = props["Path"]
            regex = "^" + re.sub(r"\{(\w+)\+?\}", lambda m: f"(?P<{m.group(1)}>[^/]+)", path) + "$"
            auth = (props.get("Auth") or {}).get("Authorizer")
            found.append(Route(logical_id, props["Method"].upper(), path, re.compile(regex), auth))
    # Literal routes win over parameterised ones, as in API Gateway (/articles/popular before {id}).
    return sorted(found, key=lambda r: (r.path.count("{"), -len(r.path)))


class LocalHttpApi:
    def __init__(self, stack: LocalStack, template: dict[str, Any]) -> None:
        self.stack = stack
        self.routes = routes(stack, template)

    def request(
        self,
        method: str,
        path: str,
        query: dict[str, str] | None = None,
        body: Any = None,
        *,
        jwt_claims: dict[str, str] | None = None,
        iam_principal: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> HttpResponse:
        for route in self.routes:
            match = route.pattern.match(path)
            if match and route.method in (method.upper(), "ANY"):
                break
        else:
            return HttpResponse(404, {"content-type": "application/json"}, '{"message":"Not Found"}')
        if route.authorizer == "AWS_IAM" and not iam_principal:
            return HttpResponse(403, {"content-type": "application/json"}, '{"message":"Forbidden"}')
        if route.authorizer and route.authorizer != "AWS_IAM" and not jwt_claims:
            return HttpResponse(401, {"content-type": "application/json"}, '{"message":"Unauthorized"}')
        raw_body = body if isinstance(body, str) or body is None else json.dumps(body, ensure_ascii=False)
        event = self._event(
            route, method.upper(), path, match.groupdict(), query or {}, raw_body, headers or {}
        )
        authorizer: dict[str, Any] = {}
        if jwt_claims:
            authorizer["jwt"] = {"claims": jwt_claims, "scopes": None}
        if iam_principal:
            authorizer["iam"] = {"userArn": iam_principal, "userId": iam_principal.rsplit("/", 1)[-1]}
        if authorizer:
            event["requestContext"]["authorizer"] = authorizer
        result = invoke(self.stack.functions[route.function], event)
        body_text = result.get("body") or ""
        if result.get("isBase64Encoded"):
            body_text = base64.b64decode(body_text).decode()
        return HttpResponse(int(result.get("statusCode", 200)), dict(result.get("headers") or {}), body_text)

    def _event(
        self,
        route: Route,
        method: str,
        path: str,
        params: dict[str, str],
        query: dict[str, str],
        body: str | None,
        headers: dict[str, str],
    ) -> dict[str, Any]:
        now = time.time()
        return {
            "version": "2.0",
            "routeKey": f"{route.method} {route.path}",
            "rawPath": path,
            "rawQueryString": urlencode(query),
            "headers": {"content-type": "application/json", "user-agent": "briefing-local", **headers},
            "queryStringParameters": query or None,
            "pathParameters": params or None,
            "requestContext": {
                "accountId": "123456789012",
                "apiId": "local",
                "domainName": "local.execute-api",
                "http": {
                    "method": method,
                    "path": path,
                    "protocol": "HTTP/1.1",
                    "sourceIp": "127.0.0.1",
                    "userAgent": "briefing-local",
                },
                "requestId": str(uuid.uuid4()),
                "routeKey": f"{route.method} {route.path}",
                "stage": "$default",
                "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
                "timeEpoch": int(now * 1000),
            },
            "body": body,
            "isBase64Encoded": False,
        }
