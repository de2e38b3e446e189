"""Under gunicorn: JSON log lines carrying the request id, and /metrics over every worker."""
from __future__ import annotations

import json
import re

import pytest

from matchmaker.auth import issue_token
from matchmaker.extensions import db
from matchmaker.models import Role
from tests.builders import eventually

pytestmark = pytest.mark.postgres

INDEX_SERIES = r'^matchmaker_index_suppliers\{pid="\d+"\}'


@pytest.fixture(scope="module")
def staff_headers(direct) -> dict:
    with direct.app_context():
        _token, secret = issue_token(Role.STAFF, label="metrics scraper")
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_the_served_app_logs_json_lines_with_the_request_id(start_process):
    server = start_process("logging")

    status, headers, _ = server.call("GET", "/api/suppliers?page=1", headers={"X-Request-ID": "probe-42"})

    assert status == 200 and headers["x-request-id"] == "probe-42"
    lines = [line for line in server.log_path.read_text().splitlines() if line.startswith("{")]
    entries = [json.loads(line) for line in lines]
    access = [e for e in entries if e.get("request_id") == "probe-42"]
    assert access and access[0]["route"] == "/api/suppliers" and access[0]["status"] == 200


def test_metrics_sum_every_worker_and_report_each_workers_index(start_process, staff_headers):
    server = start_process("metrics", workers=2)
    for _ in range(20):
        assert server.call("GET", "/api/suppliers/search?q=stoel")[0] == 200

    # A worker reports its index after its refresher's first refresh: forked from a preloaded
    # master, both answer at once, and the one that served nothing may still be loading it.
    def scrape():
        answer = server.call("GET", "/metrics", headers=staff_headers)
        return answer if len(re.findall(INDEX_SERIES, str(answer[2]), re.M)) == 2 else None

    answer, _ = eventually(scrape, within=5)
    assert answer, "both workers report their index in /metrics within 5 s"
    status, headers, text = answer

    assert status == 200 and headers["content-type"].startswith("text/plain")
    count = re.search(r'^matchmaker_http_requests_total\{method="GET",route="/api/suppliers/search",'
                      r'status="200"\} ([0-9.]+)$', text, re.M)
    assert count and float(count.group(1)) == 20
    assert len(re.findall(INDEX_SERIES, text, re.M)) == 2
