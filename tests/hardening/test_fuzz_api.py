"""Property-based fuzzing of the whole HTTP API from its own OpenAPI document (schemathesis).

Every documented operation is called with generated inputs (valid and invalid) as each of the six
roles of the access matrix. For every response: no 5xx, the status, headers, content type and body
conform to what the document promises, and a role the access matrix refuses never gets a 2xx.
Path ids are steered to real rows half of the time so generated requests reach the services, not
only 404s.
"""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.builders import CHECKS, MATRIX, ROLES

# Examples per operation and role: 38 operations x 6 roles x this keeps the module ~1 minute.
MAX_EXAMPLES = 12

schema = schemathesis.pytest.from_fixture("api_schema")
EXAMPLES_RUN: Counter = Counter()


@pytest.fixture(scope="module")
def api_schema(hardened_app, fuzz_world):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", hardened_app)


def _generic(path: str) -> str:
    return re.sub(r"\{[^}]+\}|<[^>]+>", "{}", path)


def _refused_roles() -> dict[tuple[str, str], set[str]]:
    """(method, generic path) -> roles that every variant of the route refuses (401/403)."""
    refused: dict[tuple[str, str], set[str]] = {}
    for (method, path), statuses in MATRIX.items():
        roles = {role for role, status in zip(ROLES, statuses) if status in (401, 403)}
        key = (method, _generic(path))
        refused[key] = refused[key] & roles if key in refused else roles
    return refused


REFUSED = _refused_roles()


def _steer_ids(case, world) -> None:
    """Point generated path ids at real rows when the generated number is even."""
    for name, value in list((case.path_parameters or {}).items()):
        known = world.known_ids(name)
        if known and isinstance(value, int) and value % 2 == 0:
            case.path_parameters[name] = known[value // 2 % len(known)]


def _check_generated_request(case, role: str, world) -> None:
    _steer_ids(case, world)
    headers = dict(case.headers or {})
    headers.pop("Authorization", None)
    headers.update(world.headers[role])
    case.headers = headers
    response = case.call_and_validate(checks=CHECKS)
    # Keyed by the documented operation (generation also tries undocumented methods on it).
    EXAMPLES_RUN[(case.operation.method.upper(), case.operation.path, role)] += 1
    refused = REFUSED.get((case.method.upper(), _generic(case.path)), set())
    # The matrix is written from supplier A's row; on its own row supplier B is in A's place.
    if role == "supplier_b" and (case.path_parameters or {}).get("supplier_id") == world.supplier_b:
        role = "supplier_a"
    assert not (role in refused and response.status_code < 300), (
        f"{role} got {response.status_code} on {case.method} {case.formatted_path}: auth ignored")


def _fuzz_as(role: str):
    """One test per role (schemathesis runs each operation as a sub-test of it)."""

    @schema.parametrize()
    @settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def test(case, fuzz_world):
        _check_generated_request(case, role, fuzz_world)

    test.__name__ = f"test_generated_requests_as_{role}_answer_as_documented"
    return test


test_generated_requests_as_anonymous_answer_as_documented = _fuzz_as("anonymous")
test_generated_requests_as_supplier_a_answer_as_documented = _fuzz_as("supplier_a")
test_generated_requests_as_supplier_b_answer_as_documented = _fuzz_as("supplier_b")
test_generated_requests_as_buyer_x_answer_as_documented = _fuzz_as("buyer_x")
test_generated_requests_as_buyer_y_answer_as_documented = _fuzz_as("buyer_y")
test_generated_requests_as_staff_answer_as_documented = _fuzz_as("staff")


HTTP_METHODS = {"get", "put", "post", "delete", "patch"}


def test_the_fuzzing_reached_every_documented_operation_as_every_role_it_ran_as(
        hardened_app, tmp_path):
    """What the fuzzing above covered (it runs after it in file order). An operation the
    generator silently skipped, or one that only ever errored before the checks, fails here.
    The report is written to pytest's temporary directory, never into the repository."""
    if not EXAMPLES_RUN:
        pytest.skip("the fuzzing tests did not run in this session")
    document = hardened_app.test_client().get("/api/openapi.json").get_json()
    documented = {(method.upper(), path) for path, item in document["paths"].items()
                  for method in item if method in HTTP_METHODS}
    roles_run = sorted({role for _, _, role in EXAMPLES_RUN}, key=ROLES.index)
    report = {"operations_documented": len(documented),
              "operations_fuzzed": len({(m, p) for m, p, _ in EXAMPLES_RUN}),
              "roles": roles_run, "examples_run": sum(EXAMPLES_RUN.values())}
    out = tmp_path / "fuzz-report.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(report, "->", out)
    missed = sorted((method, path, role) for method, path in documented for role in roles_run
                    if not EXAMPLES_RUN[(method, path, role)])
    assert missed == []
    assert len(documented) >= 30  # the document itself was read, not an empty one
