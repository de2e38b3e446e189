"""A buyer takes a shortlist away: both downloads from the shortlist page open as columns, and
the printed page keeps the suppliers, their contact details and the verdicts, nothing else."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from tests.builders import sign_in_with_token, tender_payload


def _shortlist_with_a_verdict(live_app, token: str) -> tuple[int, dict]:
    client, headers = live_app.test_client(), {"Authorization": f"Bearer {token}"}
    tender = client.post("/api/tenders", json=tender_payload(), headers=headers).get_json()
    result = client.get(f"/api/tenders/{tender['id']}/shortlist", headers=headers).get_json()
    first = result["items"][0]
    response = client.post(f"/api/shortlists/{result['id']}/feedback", headers=headers,
                           json={"supplier_id": first["supplier"]["id"], "verdict": "invited"})
    assert response.status_code == 201
    return result["id"], first


def _download(page, link_name: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("link", name=link_name).click()
    return Path(download.value.path()).read_bytes()


def test_a_buyer_downloads_the_shortlist_for_excel_and_prints_it(page, issue, live_app,
                                                                 screenshot):
    token = issue("buyer", buyer="Gemeente Haarlemmermeer")
    shortlist_id, first = _shortlist_with_a_verdict(live_app, token)
    sign_in_with_token(page, token)
    page.goto(f"/buyer/shortlists/{shortlist_id}")

    data = _download(page, "CSV exporteren")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert data.startswith(b"\xef\xbb\xbf")
    assert rows[0][:3] == ["Positie", "Leverancier", "Gemeente"]
    assert rows[1][1] == first["supplier"]["name"] and rows[1][5] == "uitgenodigd"
    book = openpyxl.load_workbook(io.BytesIO(_download(page, "Excel exporteren (XLSX)")))
    assert [cell.value for cell in book["Shortlist"][2]][1] == first["supplier"]["name"]

    page.emulate_media(media="print")
    item = page.locator("ol.shortlist li.item").first
    assert not page.locator("header.site").is_visible()
    assert not page.locator("#export-csv").is_visible()
    assert not item.get_by_role("combobox").is_visible()
    assert not item.get_by_role("button").is_visible()
    assert item.locator(".badge.done").inner_text() == "uitgenodigd"
    assert item.locator("p.contact").is_visible()
    screenshot("shortlist-print")
    assert page.console_errors == []
