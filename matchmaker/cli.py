"""Command-line interface: ``flask --app wsgi <command>``."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from matchmaker.extensions import db


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(create_token_command)
    app.cli.add_command(create_buyer_command)


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load (or reload) the demo data in seeds/. Safe to run again: nothing is duplicated."""
    from matchmaker.seeding import load_seeds

    report = load_seeds(current_app.extensions["matchmaker"].seeds_path)
    click.echo(", ".join(f"{key}: {value}" for key, value in report.items()))


@click.command("create-buyer")
@with_appcontext
@click.argument("name")
@click.option("--kind", default=None, help="water utility, port authority, bank, ...")
@click.option("--municipality", default=None)
def create_buyer_command(name: str, kind: str | None, municipality: str | None) -> None:
    """Create a buyer organisation (or show the existing one with that name)."""
    from matchmaker.models import BuyerOrganisation

    org = db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.name == name))
    if org is None:
        org = BuyerOrganisation(name=name, kind=kind, municipality=municipality)
        db.session.add(org)
        db.session.commit()
    click.echo(f"buyer organisation {org.id}: {org.name}")


@click.command("create-token")
@with_appcontext
@click.option("--role", type=click.Choice(["staff", "buyer", "supplier"]), required=True)
@click.option("--label", default=None, help="Who holds it, e.g. a name or e-mail.")
@click.option("--buyer", "buyer_name", default=None, help="Buyer organisation name (role buyer).")
@click.option("--supplier-id", type=int, default=None, help="Supplier id (role supplier).")
def create_token_command(role: str, label: str | None, buyer_name: str | None,
                         supplier_id: int | None) -> None:
    """Issue an API token. The secret is printed once; only its hash is stored."""
    from matchmaker.auth import issue_token
    from matchmaker.models import BuyerOrganisation, Role, Supplier
    from matchmaker.services import audit

    buyer_id = None
    if role == "buyer":
        if not buyer_name:
            raise click.UsageError("--buyer is required for a buyer token")
        org = db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.name == buyer_name))
        if org is None:
            raise click.UsageError(f"no buyer organisation named {buyer_name!r} (see create-buyer)")
        buyer_id = org.id
    if role == "supplier":
        if supplier_id is None or db.session.get(Supplier, supplier_id) is None:
            raise click.UsageError("--supplier-id must name an existing supplier")
    token, secret = issue_token(Role(role), label=label, supplier_id=supplier_id,
                                buyer_organisation_id=buyer_id)
    db.session.flush()
    audit.record("cli", "token.create", "api_token", token.id, diff={"role": role, "label": label})
    db.session.commit()
    click.echo(secret)
