"""A meeting's terminology list for the drafting checks (preferred term = variants, one per line).

Revision ID: 0015_terminology
Revises: 0014_un_structure
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_terminology"
down_revision = "0014_un_structure"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("terminology", sa.Text(), server_default="", nullable=False))


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("terminology")
