"""One pagination helper (services/pagination.py) and one page-schema factory (schemas/common.py)."""
from __future__ import annotations

import pytest
from marshmallow import fields
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation
from matchmaker.schemas import (
    AuditPageSchema, SearchResultSchema, SupplierPageSchema, TenderPageSchema,
    WeightProfilePageSchema,
)
from matchmaker.schemas.common import page_schema
from matchmaker.schemas.tokens import TokenPageSchema
from matchmaker.services.pagination import Page, page_count, paginate

PAGE_FIELDS = {"items", "page", "per_page", "total", "pages"}


def organisations(app, count: int) -> None:
    with app.app_context():
        db.session.add_all(BuyerOrganisation(name=f"Gemeente {i:02d}") for i in range(count))
        db.session.commit()


def names_on(app, page: int, per_page: int, **where) -> Page:
    with app.app_context():
        query = select(BuyerOrganisation).order_by(BuyerOrganisation.name.desc())
        if "name" in where:
            query = query.where(BuyerOrganisation.name < where["name"])
        found = paginate(query, page, per_page)
        return Page(items=[o.name for o in found.items], total=found.total, page=found.page,
                    per_page=found.per_page)


@pytest.mark.parametrize("total, per_page, pages", [
    (0, 20, 0), (1, 20, 1), (20, 20, 1), (21, 20, 2), (100, 1, 100), (7, 3, 3)])
def test_the_page_count_is_the_total_divided_by_the_page_size_rounded_up(total, per_page, pages):
    assert page_count(total, per_page) == pages
    assert Page(items=[], total=total, page=1, per_page=per_page).pages == pages


def test_a_page_holds_its_slice_of_the_ordered_rows_and_the_total_of_them_all(app):
    organisations(app, 7)

    first, last = names_on(app, 1, 3), names_on(app, 3, 3)

    assert first == Page(items=["Gemeente 06", "Gemeente 05", "Gemeente 04"], total=7, page=1,
                         per_page=3)
    assert last.items == ["Gemeente 00"] and last.total == 7 and last.pages == 3


def test_the_pages_together_hold_every_row_once_in_order(app):
    organisations(app, 10)

    seen = [name for page in range(1, 5) for name in names_on(app, page, 3).items]

    assert seen == [f"Gemeente {i:02d}" for i in range(9, -1, -1)]


def test_the_total_counts_the_rows_the_conditions_leave_not_the_table(app):
    organisations(app, 10)

    found = names_on(app, 1, 2, name="Gemeente 04")

    assert found.total == 4 and found.pages == 2
    assert found.items == ["Gemeente 03", "Gemeente 02"]


def test_a_page_past_the_end_is_empty_and_still_tells_the_total(app):
    organisations(app, 2)

    assert names_on(app, 5, 10) == Page(items=[], total=2, page=5, per_page=10)


def test_a_page_schema_dumps_a_page_with_the_items_through_the_item_schema():
    from marshmallow import Schema

    class GreetingSchema(Schema):
        word = fields.String()

    schema = page_schema(GreetingSchema)
    body = schema().dump(Page(items=[{"word": "hoi", "secret": 1}], total=41, page=2, per_page=20))

    assert schema.__name__ == "GreetingPageSchema"
    assert body == {"items": [{"word": "hoi"}], "total": 41, "page": 2, "per_page": 20, "pages": 3}


def test_every_page_schema_has_the_page_fields_and_its_own_name():
    schemas = [TenderPageSchema, SupplierPageSchema, WeightProfilePageSchema, AuditPageSchema,
               TokenPageSchema, SearchResultSchema]
    for schema in schemas:
        assert PAGE_FIELDS <= set(schema._declared_fields), schema
    assert len({schema.__name__ for schema in schemas}) == len(schemas)


def test_the_openapi_document_describes_every_page_shape(client):
    spec = client.get("/api/openapi.json").get_json()
    components = spec["components"]["schemas"]

    for name in ("TenderPage", "SupplierPage", "WeightProfilePage", "AuditPage", "TokenPage",
                 "SearchResult"):
        properties = components[name]["properties"]
        assert PAGE_FIELDS <= set(properties), name
        assert properties["items"]["type"] == "array"
        assert properties["items"]["items"] != {}, name
    assert components["SearchResult"]["properties"]["facets"]["type"] == "object"
