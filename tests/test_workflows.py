"""The GitHub Actions workflows: what each promises in its header, checked in its YAML.

The workflows cannot run here, so these tests check what they would do: that each says
what it does and how a maintainer enables it, calls nox sessions that exist (rather than
copies of their commands), pins the version of every action, keys its caches on what
invalidates them, and that the publishing workflow executes in shards, merges them and
deploys the merged site to GitHub Pages.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ["ci", "publish", "gpu", "linkcheck"]


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / f"{name}.yml").read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def nox_sessions() -> set[str]:
    """The sessions that noxfile.py defines: functions decorated with @nox.session."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and target.attr == "session":
                    found.add(node.name)
    return found


def test_the_four_workflows_exist_and_no_other():
    assert sorted(p.stem for p in WORKFLOWS.glob("*.yml")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_workflow_says_what_it_does_and_how_to_enable_it(name):
    header = []
    for line in (WORKFLOWS / f"{name}.yml").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    text = " ".join(header)
    assert len(header) >= 3, name
    assert "To enable" in text, f"{name}.yml does not say how to enable it"


@pytest.mark.parametrize("name", NAMES)
def test_workflows_call_nox_sessions_that_exist(name):
    sessions = nox_sessions()
    commands = [step["run"] for step in steps(workflow(name)) if "run" in step]
    called = [s for command in commands for s in re.findall(r"\bnox -s (\w+)", command)]
    called += ["tests" for command in commands if ".ci/run" in command]
    assert called, f"{name}.yml runs no nox session"
    assert set(called) <= sessions, set(called) - sessions
    # No workflow runs sphinx-build or pytest itself: the sessions do, as on a laptop.
    assert not any(re.search(r"\b(sphinx-build|pytest)\b", command) for command in commands)


@pytest.mark.parametrize("name", NAMES)
def test_every_action_is_pinned_to_a_version(name):
    for step in steps(workflow(name)):
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", step["uses"]), step


@pytest.mark.parametrize("name", NAMES)
def test_nox_itself_is_pinned_as_in_ci_run(name):
    pin = re.search(r'"nox==[^"]+"', (ROOT / ".ci" / "run").read_text(encoding="utf-8")).group()
    for step in steps(workflow(name)):
        if "pip install" in step.get("run", "") and "nox" in step["run"]:
            assert pin in step["run"], step


def test_caches_are_keyed_on_what_invalidates_them():
    for name in ["ci", "gpu"]:
        keys = [s["with"]["key"] for s in steps(workflow(name)) if "cache" in s.get("uses", "")]
        execution = [key for key in keys if key.startswith("execution-")]
        assert execution, name
        for key in execution:
            for part in ["docs/**", "src/**", "pyproject.toml"]:
                assert part in key, (name, key)
    keys = [s["with"]["key"] for s in steps(workflow("ci")) if "cache" in s.get("uses", "")]
    assert any("pyproject.toml" in key and key.startswith("packages-") for key in keys)


def test_ci_runs_on_pull_requests_and_pushes():
    triggers = workflow("ci")["on"]
    assert "pull_request" in triggers and "push" in triggers


def test_publish_executes_in_shards_merges_them_and_deploys_to_pages():
    data = workflow("publish")
    assert {"push", "workflow_dispatch"} <= set(data["on"])
    shards = data["jobs"]["execute"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and len(shards) >= 2
    execute = [s["run"] for s in data["jobs"]["execute"]["steps"] if "run" in s]
    assert any(f"nox -s execute -- ${{{{ matrix.shard }}}}/{len(shards)}" in c for c in execute)
    build = data["jobs"]["build"]
    merge = next(s["run"] for s in build["steps"] if "--from-shards" in s.get("run", ""))
    # Every shard's cache is merged, and the build then executes nothing.
    assert all(f"shard-{k}" in merge for k in shards), merge
    # The site is built for the address GitHub Pages gives the repository.
    configure = [s for s in build["steps"] if s.get("uses", "").startswith("actions/configure")]
    merge_step = next(s for s in build["steps"] if "--from-shards" in s.get("run", ""))
    assert configure and configure[0]["id"] == "pages"
    assert "steps.pages.outputs.base_url" in merge_step["env"]["BOOK_SITE_URL"]
    pages = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages")]
    assert pages and pages[0]["with"]["path"] == "_build/site"
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])


def test_gpu_workflow_runs_on_the_label_of_a_repository_variable():
    data = workflow("gpu")
    assert {"schedule", "workflow_dispatch"} <= set(data["on"])
    job = data["jobs"]["build"]
    assert job["runs-on"] == "${{ vars.GPU_RUNNER_LABEL }}"
    assert job["env"]["BOOK_TF_CUDA"] == "1"
    uploaded = {s["with"]["name"] for s in job["steps"] if "upload-artifact" in s.get("uses", "")}
    assert uploaded == {"gpu-execution-cache", "gpu-site"}


def test_linkcheck_runs_weekly_and_reports():
    data = workflow("linkcheck")
    assert "schedule" in data["on"]
    report = [s for s in steps(data) if "GITHUB_STEP_SUMMARY" in s.get("run", "")]
    assert report and report[0]["if"] == "always()"
