"""The demo data: a fresh database is seeded once, and reseeding changes nothing."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import BuyerOrganisation, Supplier, Tender, WeightProfile, WeightProfileStatus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_seed_command_loads_the_demo_data(app, runner):
    result = runner.invoke(args=["seed"])

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert count(Supplier) == len(json.loads((SEEDS / "suppliers.json").read_text()))
        assert count(Supplier) >= 60
        assert count(Tender) >= 15
        assert count(BuyerOrganisation) >= 5
        active = db.session.scalars(select(WeightProfile).where(
            WeightProfile.status == WeightProfileStatus.ACTIVE)).all()
        assert [profile.name for profile in active] == ["default"]


def test_seeding_twice_changes_nothing(app, runner):
    runner.invoke(args=["seed"])
    with app.app_context():
        before = {m.__name__: count(m) for m in (Supplier, Tender, BuyerOrganisation, WeightProfile)}
        versions = dict(db.session.execute(select(Supplier.id, Supplier.version)).all())

    result = runner.invoke(args=["seed"])

    assert "suppliers_created: 0" in result.output and "suppliers_updated: 0" in result.output
    with app.app_context():
        after = {m.__name__: count(m) for m in (Supplier, Tender, BuyerOrganisation, WeightProfile)}
        assert dict(db.session.execute(select(Supplier.id, Supplier.version)).all()) == versions
    assert after == before


def test_reseeding_leaves_profiles_that_users_registered_alone(app, runner, register):
    mine = register(kvk_number="89999999", name="Mijn Eigen Bedrijf")
    runner.invoke(args=["seed"])
    runner.invoke(args=["seed"])
    with app.app_context():
        supplier = db.session.get(Supplier, mine.id)
        assert (supplier.name, supplier.source, supplier.version) == ("Mijn Eigen Bedrijf", "self", 1)


def test_seeded_tenders_mix_drafts_and_published_ones_from_several_kinds_of_buyer(app, runner):
    runner.invoke(args=["seed"])
    with app.app_context():
        statuses = {t.status.value for t in db.session.scalars(select(Tender))}
        kinds = {b.kind for b in db.session.scalars(select(BuyerOrganisation))}
    assert {"draft", "published"} <= statuses
    assert {"water utility", "port authority", "bank", "energy company"} <= kinds


def test_an_empty_database_is_seeded_on_first_start(tmp_path):
    from tests.builders import make_app

    app = make_app(f"sqlite:///{tmp_path / 'fresh.db'}", SEED_ON_EMPTY=True)
    with app.app_context():
        assert count(Supplier) >= 60
        assert count(Tender) >= 15
        db.engine.dispose()
