"""Command-line interface: ``flask --app wsgi <command>``."""
from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from matchmaker.extensions import db


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(create_token_command)
    app.cli.add_command(revoke_token_command)
    app.cli.add_command(rotate_token_command)
    app.cli.add_command(create_buyer_command)
    app.cli.add_command(create_account_command)
    app.cli.add_command(evaluate_command)
    app.cli.add_command(import_ocds_command)
    app.cli.add_command(import_cpv_command)
    app.cli.add_command(export_suppliers_command)
    app.cli.add_command(import_suppliers_command)


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


@click.command("create-account")
@with_appcontext
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["staff", "buyer", "supplier"]), required=True)
@click.option("--name", "display_name", default=None, help="How the person is shown.")
@click.option("--buyer", "buyer_name", default=None, help="Buyer organisation name (role buyer).")
@click.option("--supplier-id", type=int, default=None, help="Supplier id (role supplier).")
@click.password_option(help="At least 12 characters, not a common password; asked for when not given.")
def create_account_command(email: str, role: str, display_name: str | None, buyer_name: str | None,
                           supplier_id: int | None, password: str) -> None:
    """Create a person's account, to sign in to the pages with e-mail and password."""
    from matchmaker.errors import ServiceError
    from matchmaker.models import BuyerOrganisation, Role
    from matchmaker.services.accounts import create_account

    buyer_id = None
    if buyer_name:
        buyer_id = db.session.scalar(select(BuyerOrganisation.id).where(BuyerOrganisation.name == buyer_name))
        if buyer_id is None:
            raise click.UsageError(f"no buyer organisation named {buyer_name!r} (see create-buyer)")
    try:
        account = create_account(email, password, Role(role), display_name=display_name,
                                 supplier_id=supplier_id, buyer_organisation_id=buyer_id)
    except ServiceError as error:
        raise click.ClickException(error.detail) from None
    click.echo(f"account {account.id}: {account.email} ({account.role.value})")


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
    from matchmaker.services.writes import writing

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
    with writing("cli") as write:
        db.session.flush()
        write.audit("token.create", "api_token", token.id, diff={"role": role, "label": label})
    click.echo(secret)


@click.command("revoke-token")
@with_appcontext
@click.argument("token_id", type=int)
@click.option("--reason", required=True, help="Kept in the audit log.")
def revoke_token_command(token_id: int, reason: str) -> None:
    """Revoke an API token (by id; staff see ids in GET /api/staff/tokens). Immediate in every
    process: tokens are checked against the database on each request."""
    from matchmaker.errors import ServiceError
    from matchmaker.services import tokens

    try:
        token = tokens.revoke(token_id, reason, actor="cli")
    except ServiceError as error:
        raise click.ClickException(error.detail)
    click.echo(f"token {token.id} ({token.prefix}…) revoked")


@click.command("rotate-token")
@with_appcontext
@click.argument("token_id", type=int)
@click.option("--reason", required=True, help="Kept in the audit log.")
def rotate_token_command(token_id: int, reason: str) -> None:
    """Revoke an API token and issue its replacement; prints the new secret once."""
    from matchmaker.errors import ServiceError
    from matchmaker.services import tokens

    try:
        _token, secret = tokens.rotate(token_id, reason, actor="cli")
    except ServiceError as error:
        raise click.ClickException(error.detail)
    click.echo(secret)


# The staff API's metric names, as the evaluate table labels them.
METRIC_LABELS = (
    ("tenders", "tenders ranked"),
    ("judged_tenders", "tenders with a relevant supplier"),
    ("ndcg_at_10", "nDCG@10"),
    ("mrr", "MRR"),
    ("recall_at_10", "Recall@10"),
    ("newcomer_share_at_10", "newcomer share@10"),
    ("catalogue_coverage_at_10", "catalogue coverage@10"),
    ("long_tail_share_at_10", "long-tail share@10"),
)


@click.command("evaluate")
@with_appcontext
@click.option("--profile", "profile_spec", required=True, metavar="NAME[:VERSION]",
              help="A weight profile; without a version its active one, else its latest.")
@click.option("--judgments", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="A folder with tenders.jsonl, suppliers.jsonl and qrels.jsonl "
                                 "(the shared benchmark's format). Default: buyers' feedback.")
def evaluate_command(profile_spec: str, judgments: Path | None) -> None:
    """Measure a weight profile's ranking quality and print it as a table."""
    from matchmaker.errors import ServiceError
    from matchmaker.services import evaluation, weight_profiles

    name, colon, version = profile_spec.rpartition(":")
    if not colon:
        name, version = profile_spec, ""
    if colon and not version.isdigit():
        raise click.UsageError("--profile takes NAME or NAME:VERSION (a whole number)")
    try:
        profile = weight_profiles.find(name, int(version) if version else None)
        if judgments is None:
            result = evaluation.evaluate_profile(profile.id)
        else:
            with ExitStack() as files:
                streams = {kind: files.enter_context(open(judgments / f"{kind}.jsonl", "rb"))
                           for kind in evaluation.JUDGMENT_FILES}
                result = evaluation.evaluate_profile_on_judgments(profile.id, streams)
    except (ServiceError, FileNotFoundError) as error:
        details = [f"{e['field']}: {e['message']}" for e in getattr(error, "errors", None) or []]
        raise click.ClickException("\n".join([getattr(error, "detail", str(error)), *details]))
    ref = result["profile"]
    source = f"judgments in {judgments}" if judgments else "buyers' feedback"
    click.echo(f"{ref['name']} v{ref['version']} ({ref['status']}) against {source}, "
               f"as of {result['computed_for'].isoformat()}\n")
    click.echo("| metric | value |\n|---|---:|")
    for key, label in METRIC_LABELS:
        value = result["metrics"][key]
        click.echo(f"| {label} | {value if isinstance(value, int) else f'{value:.4f}'} |")


# --- interoperability (matchmaker.interop) ----------------------------------------------------

_IMPORT_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("import-ocds")
@with_appcontext
@click.argument("file", type=_IMPORT_FILE)
@click.option("--buyer", "buyer_name", required=True,
              help="The buyer organisation the tenders belong to (see create-buyer).")
def import_ocds_command(file: Path, buyer_name: str) -> None:
    """Import OCDS release or record packages (JSON, JSON lines, gzip): tenders of the buyer,
    award suppliers as imported, unverified profiles with their contracts as references.
    All or nothing; importing the same file again changes nothing."""
    from matchmaker.errors import ServiceError
    from matchmaker.interop import ImportFileError, import_ocds

    try:
        report = import_ocds(file, buyer_name, cpv=current_app.extensions["matchmaker"].vocabulary.cpv)
    except (ImportFileError, ServiceError) as error:  # ServiceError: a write lost a race (409)
        raise click.ClickException(f"{file}: {error} (nothing was imported)")
    click.echo(", ".join(f"{key}: {value}" for key, value in report.counts().items()))
    for merge in report.merges:
        click.echo(f"merged: {merge['ocid']} award {merge['award']}: {merge['party']!r} -> "
                   f"supplier {merge['supplier_id']} {merge['supplier']!r} by {merge['by']}")
    for skip in report.skipped:
        where = f" (line {skip['line']})" if skip.get("line") else ""
        click.echo(f"skipped: {skip['ocid']} {skip['what']}{where}: {skip['reason']}")


@click.command("import-cpv")
@with_appcontext
@click.argument("file", type=_IMPORT_FILE)
def import_cpv_command(file: Path) -> None:
    """Replace the seed CPV subset with the official CPV 2008 list (the EU's XML or CSV, with
    Dutch and English labels). Stored as instance/cpv.json; other processes use it after a
    restart."""
    from matchmaker.interop import ImportFileError, import_cpv_list

    try:
        # The app itself, not the proxy (Flask types current_app as the app, not the proxy it is).
        report = import_cpv_list(current_app._get_current_object(), file)  # type: ignore[attr-defined]
    except ImportFileError as error:
        raise click.ClickException(f"{file}: {error} (the CPV list was not changed)")
    click.echo(f"{report.codes} CPV codes stored in {report.path}")
    if report.codes_in_use_not_valid:
        click.echo("codes in use that the new list does not accept: "
                   + ", ".join(report.codes_in_use_not_valid))


@click.command("export-suppliers")
@with_appcontext
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_suppliers_command(file: Path) -> None:
    """Back up every supplier profile as JSON lines (gzipped when FILE ends in .gz)."""
    from matchmaker.interop import export_suppliers

    click.echo(f"{export_suppliers(file)} profiles written to {file}")


@click.command("import-suppliers")
@with_appcontext
@click.argument("file", type=_IMPORT_FILE)
def import_suppliers_command(file: Path) -> None:
    """Restore supplier profiles from an export-suppliers backup. All or nothing."""
    from matchmaker.errors import ServiceError
    from matchmaker.interop import ImportFileError, import_suppliers

    try:
        report = import_suppliers(file)
    except (ImportFileError, ServiceError) as error:  # ServiceError: a write lost a race (409)
        raise click.ClickException(f"{file}: {error} (nothing was imported)")
    click.echo(f"created: {report.created}, updated: {report.updated}, "
               f"unchanged: {report.unchanged}")
