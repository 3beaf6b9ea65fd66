"""business types: the materials to bring (办事指南), an empty list for existing types

Revision ID: 5d1c0a7e9b21
Revises: 391ded6bf2c1
Create Date: 2026-12-04 04:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '5d1c0a7e9b21'
down_revision: Union[str, Sequence[str], None] = '391ded6bf2c1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('business_types', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'required_documents',
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                server_default='[]',
                nullable=False,
            )
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('business_types', schema=None) as batch_op:
        batch_op.drop_column('required_documents')
