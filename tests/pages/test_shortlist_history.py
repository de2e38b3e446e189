"""Shortlist history on the buyer pages: a tender lists its shortlists; verdicts belong to the
tender and the supplier and carry over to a re-made shortlist, which shows what moved."""
from __future__ import annotations

import re

import pytest

from matchmaker.extensions import db
from matchmaker.models import ShortlistSnapshot
from matchmaker.services.shortlist_history import Move, moves
from tests.builders import CHAIRS, DESKS, WORKWEAR, tender_payload


@pytest.fixture
def buyer(make_token):
    return make_token("buyer", buyer="Gemeente Zaanstad")


@pytest.fixture
def tender(client, buyer):
    return client.post("/api/tenders", headers=buyer,
                       json=tender_payload(status="published", criteria=[])).get_json()


def _make_shortlist(browser, tender_id) -> int:
    browser.get(f"/buyer/tenders/{tender_id}")
    location = browser.post(f"/buyer/tenders/{tender_id}/shortlist").headers["Location"]
    return int(location.rsplit("/", 1)[1])


def _result(*names_in_rank_order) -> dict:
    return {"items": [{"rank": rank, "supplier": {"id": sid, "name": name}}
                      for rank, (sid, name) in enumerate(names_in_rank_order, start=1)]}


def test_moves_name_who_entered_left_and_moved_up_or_down():
    before = _result((1, "Een"), (2, "Twee"), (3, "Drie"))
    after = _result((3, "Drie"), (1, "Een"), (4, "Vier"))
    assert moves(before, after) == [Move(3, "Drie", 3, 1), Move(1, "Een", 1, 2),
                                    Move(4, "Vier", None, 3), Move(2, "Twee", 2, None)]
    assert [m.kind for m in moves(before, after)] == ["up", "down", "entered", "left"]
    assert moves(before, before) == []


def test_the_tender_page_lists_its_shortlists_with_time_maker_and_size(app, browser, buyer,
                                                                     tender, register):
    register(**CHAIRS)
    browser.sign_in(buyer)
    first = _make_shortlist(browser, tender["id"])
    register(**DESKS)
    second = _make_shortlist(browser, tender["id"])
    html = browser.get(f"/buyer/tenders/{tender['id']}").get_data(as_text=True)
    assert 'id="shortlist-count">Shortlists: 2<' in html
    assert html.index(f'id="shortlist-{second}"') < html.index(f'id="shortlist-{first}"')
    with app.app_context():
        stored = db.session.get(ShortlistSnapshot, first)
        size, made = len(stored.result["items"]), stored.created_at
    row = re.search(rf'<tr id="shortlist-{first}">(.*?)</tr>', html, re.S).group(1)
    assert "test buyer" in row and f">{size}</td>" in row and size > 0
    # The time as the Amsterdam clock showed it (UTC+1 in winter, UTC+2 in summer).
    local = made.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"))
    assert f"{local:%H:%M}</time>" in row and "Amsterdamse tijd" in html


def test_the_tenders_shortlists_are_paged(app, browser, buyer, tender):
    browser.sign_in(buyer)
    with app.app_context():
        db.session.add_all(ShortlistSnapshot(
            tender_id=tender["id"], buyer_organisation_id=tender["buyer"]["id"], k=10,
            result={"items": [], "near_misses": []}, item_count=0, created_by="buyer:1:test")
            for _ in range(12))
        db.session.commit()
    html = browser.get(f"/buyer/tenders/{tender['id']}").get_data(as_text=True)
    assert 'id="shortlist-count">Shortlists: 12<' in html and "Pagina 1 van 2" in html
    assert html.count('<tr id="shortlist-') == 10
    assert browser.get(f"/buyer/tenders/{tender['id']}?page=2").get_data(as_text=True).count(
        '<tr id="shortlist-') == 2


def test_a_verdict_carries_over_to_a_remade_shortlist_its_api_and_its_export(
        browser, client, buyer, tender, register):
    chairs = register(**CHAIRS)
    browser.sign_in(buyer)
    first = _make_shortlist(browser, tender["id"])
    browser.get(f"/buyer/shortlists/{first}")
    browser.post(f"/buyer/shortlists/{first}/feedback",
                 {"supplier_id": str(chairs.id), "verdict": "invited"})
    register(**DESKS)  # a change, so that the shortlist is made anew
    second = _make_shortlist(browser, tender["id"])
    assert second != first
    html = browser.get(f"/buyer/shortlists/{second}").get_data(as_text=True)
    assert '<option value="invited" selected>' in html
    listed = client.get(f"/api/shortlists/{second}/feedback", headers=buyer).get_json()
    assert [(f["supplier_id"], f["verdict"], f["tender_id"], f["shortlist_id"]) for f in listed] == [
        (chairs.id, "invited", tender["id"], first)]
    rows = browser.get(f"/buyer/shortlists/{second}/export.csv").get_data().decode("utf-8-sig")
    assert "uitgenodigd" in rows.splitlines()[1]
    # A later verdict on the new shortlist replaces it, on both.
    browser.post(f"/buyer/shortlists/{second}/feedback",
                 {"supplier_id": str(chairs.id), "verdict": "not_relevant"})
    for shortlist_id in (first, second):
        assert '<option value="not_relevant" selected>' in browser.get(
            f"/buyer/shortlists/{shortlist_id}").get_data(as_text=True)


def test_another_tenders_verdicts_stay_there(browser, client, buyer, tender, register):
    chairs = register(**CHAIRS)
    other = client.post("/api/tenders", headers=buyer,
                        json=tender_payload(status="published", criteria=[])).get_json()
    browser.sign_in(buyer)
    first = _make_shortlist(browser, tender["id"])
    browser.get(f"/buyer/shortlists/{first}")
    browser.post(f"/buyer/shortlists/{first}/feedback",
                 {"supplier_id": str(chairs.id), "verdict": "invited"})
    elsewhere = _make_shortlist(browser, other["id"])
    assert "selected>" not in re.sub(r'<option value="" selected>', "",
                                     browser.get(f"/buyer/shortlists/{elsewhere}").get_data(as_text=True))
    assert client.get(f"/api/shortlists/{elsewhere}/feedback", headers=buyer).get_json() == []


def test_a_remade_shortlist_shows_what_moved_since_the_previous_one(browser, client, buyer,
                                                                    tender, register):
    chairs = register(**CHAIRS)
    browser.sign_in(buyer)
    first = _make_shortlist(browser, tender["id"])
    assert 'id="moved"' not in browser.get(f"/buyer/shortlists/{first}").get_data(as_text=True)
    desks = register(**DESKS)
    etag = client.get(f"/api/suppliers/{chairs.id}").headers["ETag"]
    assert client.delete(f"/api/suppliers/{chairs.id}",
                         headers={**chairs.auth, "If-Match": etag}).status_code == 204
    second = _make_shortlist(browser, tender["id"])
    html = browser.get(f"/buyer/shortlists/{second}").get_data(as_text=True)
    assert 'id="moved"' in html and "Sinds de vorige shortlist" in html
    assert re.search(rf'<li class="move-entered" id="moved-{desks.id}"><strong>komt erin</strong> '
                     rf'Houtwerk Hergebruik \(nu 1\)', html)
    assert re.search(rf'<li class="move-left" id="moved-{chairs.id}"><strong>valt eruit</strong> '
                     rf'Stoelenkliniek \(was 1\)', html)
    register(**WORKWEAR)  # a supplier change that leaves the list as it was
    third = _make_shortlist(browser, tender["id"])
    assert third != second
    assert "Niets verschoven" in browser.get(f"/buyer/shortlists/{third}").get_data(as_text=True)


def test_making_the_shortlist_again_unchanged_shows_the_same_one_and_says_so(
        app, browser, buyer, tender, register):
    register(**CHAIRS)
    browser.sign_in(buyer)
    first = _make_shortlist(browser, tender["id"])
    browser.get(f"/buyer/shortlists/{first}")

    again = _make_shortlist(browser, tender["id"])

    html = browser.get(f"/buyer/shortlists/{again}").get_data(as_text=True)
    assert again == first
    assert "Er is niets veranderd sinds deze shortlist is gemaakt" in html
    assert 'id="shortlist-count">Shortlists: 1<' in browser.get(
        f"/buyer/tenders/{tender['id']}").get_data(as_text=True)
    assert "Er is niets veranderd" not in browser.get(
        f"/buyer/shortlists/{first}").get_data(as_text=True)  # said once, when it happened
