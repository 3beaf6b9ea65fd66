"""photos

Revision ID: 7c1f0e9a4b2d
Revises: 3246dc15f62e
Create Date: 2026-12-04 04:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import services.chassis.db


# revision identifiers, used by Alembic.
revision: str = '7c1f0e9a4b2d'
down_revision: Union[str, Sequence[str], None] = '3246dc15f62e'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('photos',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('uploader_sub', sa.String(length=200), nullable=False),
    sa.Column('original_format', sa.String(length=10), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('image', sa.LargeBinary(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', services.chassis.db.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_photos'))
    )
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_photos_uploader_sub'), ['uploader_sub'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_photos_uploader_sub'))
    op.drop_table('photos')
