"""Flask extensions, created unbound and bound to an app in the factory."""
from __future__ import annotations

from typing import TYPE_CHECKING

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from matchmaker.errors import ProblemApi

# Named constraints keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

if TYPE_CHECKING:
    # db.Model is made at run time (Base with Flask-SQLAlchemy's model mixed in), and mypy
    # cannot take a variable for a base class; to it a model is the declarative Base it
    # extends, so the models' Mapped columns are checked.
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
api = ProblemApi()
