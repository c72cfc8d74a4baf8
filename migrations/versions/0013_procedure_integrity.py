"""Procedure integrity: declarations with a reason, withdrawal, stable amendment and comment numbers,
the meeting's time zone.

Revision ID: 0013_procedure_integrity
Revises: 0001
Create Date: 2026-12-02 05:58:49.290371

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_procedure_integrity'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))

    with op.batch_alter_table('clauses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('withdrawn_from', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('last_comment_marker', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_clauses_withdrawn_by_id_users'), 'users', ['withdrawn_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('marker', sa.Integer(), nullable=True))

    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_amendment_number', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), server_default='UTC', nullable=False))

    # Existing amendments and comments get the numbers they were shown with (in order of creation).
    op.execute("""
        UPDATE amendments SET number = (
            SELECT COUNT(*) FROM amendments AS earlier JOIN clauses AS c ON earlier.clause_id = c.id
            WHERE c.document_id = (SELECT document_id FROM clauses WHERE clauses.id = amendments.clause_id)
              AND earlier.id <= amendments.id)""")
    op.execute("""
        UPDATE documents SET last_amendment_number = (
            SELECT COUNT(*) FROM amendments JOIN clauses ON amendments.clause_id = clauses.id
            WHERE clauses.document_id = documents.id)""")
    op.execute("""
        UPDATE comments SET marker = (
            SELECT COUNT(*) FROM comments AS earlier
            WHERE earlier.clause_id = comments.clause_id AND earlier.id <= comments.id)""")
    op.execute("""
        UPDATE clauses SET last_comment_marker = (
            SELECT COUNT(*) FROM comments WHERE comments.clause_id = clauses.id)""")


def downgrade():
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_column('time_zone')

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_column('last_amendment_number')

    with op.batch_alter_table('declarations', schema=None) as batch_op:
        batch_op.drop_column('reason')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('marker')

    with op.batch_alter_table('clauses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_clauses_withdrawn_by_id_users'), type_='foreignkey')
        batch_op.drop_column('last_comment_marker')
        batch_op.drop_column('withdrawn_from')
        batch_op.drop_column('withdrawal_reason')
        batch_op.drop_column('withdrawn_by_id')
        batch_op.drop_column('withdrawn_at')

    with op.batch_alter_table('amendments', schema=None) as batch_op:
        batch_op.drop_column('number')

