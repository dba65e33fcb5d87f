"""The embedded local AWS: template.yaml → aws-sam-translator → moto CloudFormation.

What runs locally is what `sam deploy` creates: the same translated template builds the tables,
queues (with redrive policies), buckets, topics, roles and event-source mappings. Function
settings (handler, environment, timeout, code folder) are read back from the template; the
code folders become in-process Python modules, loaded the way Lambda loads them.
"""

from __future__ import annotations

import copy
import importlib.util
import io
import itertools
import json
import logging
import os
import sys
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
from cfnlint.decode import cfn_yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_PATH = REPO_ROOT / "template.yaml"
CODE_BUCKET = "briefing-local-code"
REGION = "ap-northeast-2"
ACCOUNT_ID = "123456789012"
# moto gives every SQS message this SenderId: the local principal the local registry admits.
LOCAL_SENDER_ID = "AIDAIT2UOQQY3AUEKVGXU"
LOCAL_PARAMETERS = {"Stage": "dev", "AgencyRegistry": json.dumps({"*": [LOCAL_SENDER_ID]})}

_deployments = itertools.count(1)
warnings.filterwarnings("ignore", message="Tried to parse", category=UserWarning)

LOCAL_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_DEV": "false",
}


def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    """The SAM template as plain dicts (cfn-lint's decoder understands !Ref, !GetAtt, !Sub)."""
    decoded = cfn_yaml.load(str(path))
    return json.loads(json.dumps(decoded))


class _NoManagedPolicies:
    """The translator asks IAM for AWS-managed policy names; our template uses none by name."""

    def load(self) -> dict[str, str]:
        return {}


def translate(template: dict[str, Any], parameters: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """SAM → CloudFormation, offline. Local code folders are pointed at a local code bucket,
    as `sam package` would point them at S3; returns the template and {logical id: folder}."""
    from samtranslator.translator.transform import transform

    sam = copy.deepcopy(template)
    code_dirs: dict[str, str] = {}
    for logical_id, resource in sam.get("Resources", {}).items():
        props = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                code_dirs[logical_id] = props[key]
                props[key] = f"s3://{CODE_BUCKET}/{logical_id}.zip"
    translated = transform(sam, parameters, _NoManagedPolicies())
    return translated, code_dirs


@dataclass
class FunctionSpec:
    logical_id: str
    physical_name: str
    code_dir: Path
    handler: str
    timeout: int
    environment: dict[str, str]
    memory: int = 128

    module: ModuleType | None = field(default=None, repr=False)
    core_modules: dict[str, ModuleType] = field(default_factory=dict, repr=False)

    def load_module(self) -> ModuleType:
        """Import the handler module from its folder, once per deployment, with its own copy of
        the core package: like separate Lambda containers, functions share no module state
        (logger service names, cached clients and settings)."""
        if self.module is not None:
            return self.module
        module_name, _ = self.handler.rsplit(".", 1)
        unique = f"briefing_fn_{self.logical_id}_{module_name}_{next(_deployments)}"
        spec = importlib.util.spec_from_file_location(unique, self.code_dir / f"{module_name}.py")
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {self.handler} from {self.code_dir}")
        outer = {name: sys.modules.pop(name) for name in list(sys.modules) if _is_core(name)}
        try:
            module = importlib.util.module_from_spec(spec)
            sys.modules[unique] = module
            spec.loader.exec_module(module)
            self.core_modules = {name: sys.modules[name] for name in list(sys.modules) if _is_core(name)}
        finally:
            for name in [n for n in sys.modules if _is_core(n)]:
                del sys.modules[name]
            sys.modules.update(outer)
        self.module = module
        return module


def _is_core(module_name: str) -> bool:
    return module_name == "briefing" or module_name.startswith("briefing.")


@dataclass
class EventSourceMapping:
    uuid: str
    function_logical_id: str
    queue_arn: str
    queue_url: str
    batch_size: int
    report_batch_item_failures: bool


@dataclass
class LocalStack:
    """The deployed stack inside moto: its outputs, physical resources, functions and mappings."""

    stack_name: str
    outputs: dict[str, str]
    resources: dict[str, str]  # logical id → physical id
    functions: dict[str, FunctionSpec]
    mappings: list[EventSourceMapping]
    translated: dict[str, Any] = field(repr=False, default_factory=dict)

    def queue_url(self, logical_id: str) -> str:
        return boto3.client("sqs").get_queue_url(QueueName=self.resources[logical_id].rsplit("/", 1)[-1])[
            "QueueUrl"
        ]


def _zip_stub() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "code runs in-process from the repository; see briefing local")
    return buffer.getvalue()


def deploy(parameters: dict[str, str] | None = None, stack_name: str = "briefing-local") -> LocalStack:
    """Create the stack in the active moto mock and return what the runner needs of it."""
    template = load_template()
    params = {**LOCAL_PARAMETERS, **(parameters or {})}
    translated, code_dirs = translate(template, params)

    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=CODE_BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    for logical_id in code_dirs:
        s3.put_object(Bucket=CODE_BUCKET, Key=f"{logical_id}.zip", Body=_zip_stub())

    # moto's CloudFormation handles layer versions poorly; functions get their layers in-process.
    resources = translated["Resources"]
    for logical_id in [k for k, v in resources.items() if v["Type"] == "AWS::Lambda::LayerVersion"]:
        del resources[logical_id]
    for resource in resources.values():
        if resource["Type"] == "AWS::Lambda::Function":
            resource["Properties"].pop("Layers", None)

    _aliases_to_functions(resources)

    cfn = boto3.client("cloudformation")
    with warnings.catch_warnings():
        # moto models no bucket/queue policies; IAM is not enforced locally either.
        warnings.simplefilter("ignore", UserWarning)
        logging.getLogger("moto").setLevel(logging.ERROR)
        _create_stack(cfn, stack_name, translated, params)
    description = cfn.describe_stacks(StackName=stack_name)["Stacks"][0]
    if description["StackStatus"] != "CREATE_COMPLETE":
        raise RuntimeError(
            f"local stack failed: {description['StackStatus']} {description.get('StackStatusReason')}"
        )
    outputs = {o["OutputKey"]: o["OutputValue"] for o in description.get("Outputs", [])}
    physical = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
        if "LogicalResourceId" in r and "PhysicalResourceId" in r  # moto skips types it cannot model
    }
    functions = _functions(translated, code_dirs, physical)
    mappings = _detach_mappings(translated, physical, functions)
    return LocalStack(stack_name, outputs, physical, functions, mappings, translated)


def _aliases_to_functions(resources: dict[str, Any]) -> None:
    """moto's CloudFormation does not model AWS::Lambda::Alias (a Ref to one resolves to None), so
    locally whatever names an alias (permissions, the HTTP API's integrations) names its function."""
    aliases = {
        k: v["Properties"]["FunctionName"] for k, v in resources.items() if v["Type"] == "AWS::Lambda::Alias"
    }
    if not aliases:
        return

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            if set(node) == {"Ref"} and node["Ref"] in aliases:
                return aliases[node["Ref"]]
            return {k: rewrite(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        if isinstance(node, str):
            for alias, target in aliases.items():
                node = node.replace("${" + alias + "}", "${" + target["Ref"] + "}")
        return node

    for logical_id in aliases:
        del resources[logical_id]
    for logical_id, resource in resources.items():
        resources[logical_id] = rewrite(resource)


def _create_stack(cfn: Any, stack_name: str, translated: dict[str, Any], params: dict[str, str]) -> None:
    cfn.create_stack(
        StackName=stack_name,
        TemplateBody=json.dumps(translated),
        Parameters=[
            {"ParameterKey": k, "ParameterValue": v}
            for k, v in params.items()
            if k in translated.get("Parameters", {})
        ],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )


def _functions(
    translated: dict[str, Any], code_dirs: dict[str, str], physical: dict[str, str]
) -> dict[str, FunctionSpec]:
    lam = boto3.client("lambda")
    specs = {}
    for logical_id, resource in translated["Resources"].items():
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        # Settings as deployed: moto resolved every !Ref and !GetAtt in the environment.
        config = lam.get_function_configuration(FunctionName=physical[logical_id])
        specs[logical_id] = FunctionSpec(
            logical_id=logical_id,
            physical_name=config["FunctionName"],
            code_dir=REPO_ROOT / code_dirs[logical_id],
            handler=config["Handler"],
            timeout=int(config.get("Timeout", 3)),
            environment=dict(config.get("Environment", {}).get("Variables", {})),
            memory=int(config.get("MemorySize", 128)),
        )
    return specs


def _detach_mappings(
    translated: dict[str, Any], physical: dict[str, str], functions: dict[str, FunctionSpec]
) -> list[EventSourceMapping]:
    """moto would invoke its own Lambda on every SendMessage; the runner polls instead, so the
    mappings are kept (as deployed) but disabled in moto."""
    lam = boto3.client("lambda")
    sqs = boto3.client("sqs")
    by_name = {spec.physical_name: spec for spec in functions.values()}
    mappings = []
    for logical_id, resource in translated["Resources"].items():
        if resource["Type"] != "AWS::Lambda::EventSourceMapping":
            continue
        uuid = physical[logical_id]
        config = lam.get_event_source_mapping(UUID=uuid)
        lam.update_event_source_mapping(UUID=uuid, Enabled=False)
        function_name = config["FunctionArn"].rsplit(":", 1)[-1]
        queue_arn = config["EventSourceArn"]
        queue_url = sqs.get_queue_url(QueueName=queue_arn.rsplit(":", 1)[-1])["QueueUrl"]
        mappings.append(
            EventSourceMapping(
                uuid=uuid,
                function_logical_id=by_name[function_name].logical_id,
                queue_arn=queue_arn,
                queue_url=queue_url,
                batch_size=int(config.get("BatchSize", 10)),
                report_batch_item_failures="ReportBatchItemFailures"
                in (resource["Properties"].get("FunctionResponseTypes") or []),
            )
        )
    return mappings


def apply_local_environment() -> None:
    for key, value in LOCAL_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
