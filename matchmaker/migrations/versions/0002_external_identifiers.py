"""external identifiers: the ocid of imported tenders and organisation identifiers of imported
suppliers (OCDS import), so that importing the same file again finds what it created

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 19:01:34.036401

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('external_identifiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=100), nullable=False),
    sa.Column('identifier', sa.String(length=300), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=True),
    sa.Column('tender_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['suppliers.id'], name=op.f('fk_external_identifiers_supplier_id_suppliers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_external_identifiers_tender_id_tenders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_identifiers')),
    sa.UniqueConstraint('scheme', 'identifier', name=op.f('uq_external_identifiers_scheme'))
    )
    with op.batch_alter_table('external_identifiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_identifiers_supplier_id'), ['supplier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_external_identifiers_tender_id'), ['tender_id'], unique=False)



def downgrade():
    with op.batch_alter_table('external_identifiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_identifiers_tender_id'))
        batch_op.drop_index(batch_op.f('ix_external_identifiers_supplier_id'))

    op.drop_table('external_identifiers')
