"""The structure of a UN text: document style, formula, masthead and closing formula; heading levels and annexes.

Revision ID: 0014_un_structure
Revises: 0016_mail_invitations
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_un_structure"
down_revision = "0016_mail_invitations"
branch_labels = None
depends_on = None

DOCUMENT_COLUMNS = [
    ("style", 20, "resolution"), ("formula", 300, ""), ("issuing_body", 200, ""), ("session", 200, ""),
    ("agenda_item", 200, ""), ("distribution", 20, "General"), ("issued_on", 10, ""),
    ("original_language", 40, "English"), ("closing_meeting", 200, ""), ("closing_date", 10, ""),
    ("closing_place", 200, ""),
]


def upgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        for name, length, default in DOCUMENT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=False, server_default=default))
    with op.batch_alter_table("sections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("annex", sa.String(length=40), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("style", sa.String(length=20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("number_from", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("sections", schema=None) as batch_op:
        for name in ("number_from", "style", "annex", "level"):
            batch_op.drop_column(name)
    with op.batch_alter_table("documents", schema=None) as batch_op:
        for name, _length, _default in reversed(DOCUMENT_COLUMNS):
            batch_op.drop_column(name)
