"""verdicts by tender: a buyer's verdict belongs to the tender and the supplier, so it carries
over to a re-made shortlist (issue 15); shortlists count their suppliers for the tender's history

Existing verdicts move to their shortlist's tender. A verdict on a shortlist without a tender
(the column allows it; the service never stores one) has no tender to belong to and is dropped.

Revision ID: 0004_verdicts
Revises: 0003
Create Date: 2026-12-02 11:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_verdicts'
down_revision = '0003'
branch_labels = None
depends_on = None

shortlists = sa.table('shortlists', sa.column('id', sa.Integer()), sa.column('tender_id', sa.Integer()),
                      sa.column('result', sa.JSON()), sa.column('item_count', sa.Integer()))
feedback = sa.table('feedback', sa.column('shortlist_id', sa.Integer()),
                    sa.column('tender_id', sa.Integer()))


def upgrade():
    # Never a batch (copy-and-move) operation on ``shortlists``: on SQLite it drops the old
    # table, and with foreign keys on that deletes every verdict (ON DELETE CASCADE). Plain
    # ADD/DROP COLUMN leaves the rows where they are; hence the server default.
    op.add_column('shortlists', sa.Column('item_count', sa.Integer(), nullable=False,
                                          server_default='0'))
    op.add_column('feedback', sa.Column('tender_id', sa.Integer(), nullable=True))

    bind = op.get_bind()
    for shortlist_id, result in bind.execute(sa.select(shortlists.c.id, shortlists.c.result)):
        items = (result or {}).get('items') or []
        bind.execute(shortlists.update().where(shortlists.c.id == shortlist_id)
                     .values(item_count=len(items)))
    bind.execute(feedback.update().values(tender_id=(
        sa.select(shortlists.c.tender_id).where(shortlists.c.id == feedback.c.shortlist_id)
        .scalar_subquery())))
    bind.execute(feedback.delete().where(feedback.c.tender_id.is_(None)))

    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.alter_column('tender_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_feedback_tender_id'), ['tender_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_feedback_tender_id_tenders'), 'tenders',
                                    ['tender_id'], ['id'], ondelete='CASCADE')


def downgrade():
    # Verdicts go back to the shortlist they were given on (shortlist_id never left them).
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_feedback_tender_id_tenders'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_feedback_tender_id'))
        batch_op.drop_column('tender_id')
    op.drop_column('shortlists', 'item_count')  # not a batch: see upgrade()
