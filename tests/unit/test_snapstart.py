"""SnapStart on the public API: people wait on its cold starts, so its init is snapshotted once per
published version, and what the snapshot holds must not be shared where it should be unique."""

from __future__ import annotations

import importlib.util
import json
import random
from typing import Any

import pytest
import snapshot_restore_py

from briefing_cli.local.stack import REGION, load_template, translate
from tests.conftest import REPO


def test_the_api_resumes_from_snapshots_and_every_route_invokes_the_published_alias(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)  # the translator needs a partition, no account
    function = load_template()["Resources"]["ApiFunction"]["Properties"]
    assert function["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    resources = translate(load_template(), {})[0]["Resources"]
    [alias] = [k for k, v in resources.items() if v["Type"] == "AWS::Lambda::Alias"]
    assert resources[alias]["Properties"]["FunctionName"] == {"Ref": "ApiFunction"}
    # $LATEST never resumes from a snapshot: a route or permission naming it would cold-start in full
    body = json.dumps(resources["PublicApi"]["Properties"]["Body"])
    uris = body.count("/invocations")
    assert uris >= 10 and body.count("${" + alias + "}/invocations") == uris
    permissions = [
        v["Properties"]["FunctionName"]
        for v in resources.values()
        if v["Type"] == "AWS::Lambda::Permission"
        and v["Properties"]["Principal"] == "apigateway.amazonaws.com"
    ]
    assert permissions and all(p == {"Ref": alias} for p in permissions)


def load_api_module() -> Any:
    spec = importlib.util.spec_from_file_location("snapstart_api_app", REPO / "functions" / "api" / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_environments_resumed_from_one_snapshot_draw_different_random_numbers() -> None:
    hooks = snapshot_restore_py.get_after_restore()
    before = len(hooks)
    load_api_module()
    registered = hooks[before:]
    del hooks[before:]  # this process is not a snapshot: leave the registry as it was
    assert registered, "the API module registers no after-restore hook"
    random.seed(2026)
    snapshot = random.getstate()  # what every resumed environment starts from
    draws = []
    for _ in range(2):
        random.setstate(snapshot)
        for func, args, kwargs in registered:  # what the runtime does on resume
            func(*args, **kwargs)
        draws.append(random.random())
    assert draws[0] != draws[1]
    random.setstate(snapshot)  # and without the hooks, the two would draw the same
    first = random.random()
    random.setstate(snapshot)
    assert random.random() == first
