"""Mail: the outbox, mail preferences per meeting, invitations with a name and a sending record,
notifications that name their paragraph

Revision ID: 0016_mail_invitations
Revises: 0013_procedure_integrity
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_mail_invitations'
down_revision = '0013_procedure_integrity'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=10), nullable=False),
    sa.Column('digest_after_id', sa.Integer(), nullable=False),
    sa.Column('digest_sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_mail_preferences_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mail_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_preferences')),
    sa.UniqueConstraint('user_id', 'meeting_id', name=op.f('uq_mail_preferences_user_id'))
    )
    with op.batch_alter_table('mail_preferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_preferences_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('to_email', sa.String(length=254), nullable=False),
    sa.Column('to_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_outbox_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_recipient', ['to_email', 'id'], unique=False)
        batch_op.create_index('ix_outbox_state_due', ['state', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('organisation', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('stakeholder_group', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('sent_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('last_sent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('accepted_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_invitations_accepted_by_id_users'), 'users', ['accepted_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clause_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_notifications_clause_id_clauses'), 'clauses', ['clause_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notifications_clause_id_clauses'), type_='foreignkey')
        batch_op.drop_column('clause_id')

    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_invitations_accepted_by_id_users'), type_='foreignkey')
        batch_op.drop_column('accepted_by_id')
        batch_op.drop_column('last_sent_at')
        batch_op.drop_column('sent_count')
        batch_op.drop_column('stakeholder_group')
        batch_op.drop_column('organisation')
        batch_op.drop_column('name')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_state_due')
        batch_op.drop_index('ix_outbox_recipient')

    op.drop_table('outbox')
    with op.batch_alter_table('mail_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_preferences_meeting_id'))

    op.drop_table('mail_preferences')
