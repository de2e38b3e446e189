"""shortlist digest: a shortlist identical to its tender's latest stored one is not stored again
(issue 18); the digest of the stored record tells them apart without reading it

Rows stored before have none and are never taken for a new shortlist.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN, never a batch (copy-and-move) operation on ``shortlists``: see 0004.
    op.add_column('shortlists', sa.Column('result_digest', sa.String(length=64), nullable=True))


def downgrade():
    op.drop_column('shortlists', 'result_digest')
