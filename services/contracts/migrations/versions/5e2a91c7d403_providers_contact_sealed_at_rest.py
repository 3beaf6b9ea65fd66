"""providers' contact person sealed at rest, reveal audit

Data: each clear contact name and phone gets its mask. The clear values themselves are
sealed by `community reseal contracts` (the key is not available to a migration); until
then every read shows the masks and the legacy columns keep the clear values.

Revision ID: 5e2a91c7d403
Revises: cfade4595900
Create Date: 2026-12-04 01:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import services.chassis.db


# revision identifiers, used by Alembic.
revision: str = '5e2a91c7d403'
down_revision: Union[str, Sequence[str], None] = 'cfade4595900'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('personal_data_access',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('community', sa.String(length=40), nullable=False),
    sa.Column('record_kind', sa.String(length=20), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('fields', sa.String(length=200), nullable=False),
    sa.Column('accessor_sub', sa.String(length=200), nullable=False),
    sa.Column('accessor_roles', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('request_id', sa.String(length=128), nullable=True),
    sa.Column('accessed_at', services.chassis.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_data_access'))
    )
    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.create_index('ix_pda_community_at', ['community', 'accessed_at'], unique=False)
        batch_op.create_index('ix_pda_record', ['record_kind', 'record_id'], unique=False)

    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_name_sealed', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('contact_name_masked', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('contact_phone_sealed', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('contact_phone_masked', sa.String(length=40), nullable=True))

    _mask_clear_contacts()


def _mask(value, keep_start, keep_end):
    # services/contracts/domain/masks.py as it stood at this revision
    if not value:
        return value
    hidden = max(len(value) - keep_start - keep_end, 1)
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")


def _mask_clear_contacts() -> None:
    connection = op.get_bind()
    providers = sa.table(
        "providers",
        sa.column("id"),
        sa.column("contact_name"),
        sa.column("contact_phone"),
        sa.column("contact_name_masked"),
        sa.column("contact_phone_masked"),
    )
    query = sa.select(providers).where(
        sa.or_(providers.c.contact_name.is_not(None), providers.c.contact_phone.is_not(None))
    )
    for row in connection.execute(query).all():
        connection.execute(
            providers.update()
            .where(providers.c.id == row.id)
            .values(
                contact_name_masked=_mask(row.contact_name, 1, 0),
                contact_phone_masked=_mask(row.contact_phone, 3, 2),
            )
        )


def downgrade() -> None:
    """Downgrade schema (values sealed since cannot go back to clear without the key)."""
    with op.batch_alter_table('providers', schema=None) as batch_op:
        batch_op.drop_column('contact_phone_masked')
        batch_op.drop_column('contact_phone_sealed')
        batch_op.drop_column('contact_name_masked')
        batch_op.drop_column('contact_name_sealed')

    with op.batch_alter_table('personal_data_access', schema=None) as batch_op:
        batch_op.drop_index('ix_pda_record')
        batch_op.drop_index('ix_pda_community_at')

    op.drop_table('personal_data_access')
