"""User ids as long as OpenID Connect allows (255 characters, was 200).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USER_COLUMNS = {
    "scenarios": ("created_by", "updated_by"),
    "versions": ("created_by",),
    "plans": ("created_by",),
    "publications": ("published_by",),
    "audit": ("user_id",),
}


def _resize(length_from: int, length_to: int) -> None:
    for table, columns in USER_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(
                    column, existing_type=sa.String(length_from), type_=sa.String(length_to), existing_nullable=False
                )


def upgrade() -> None:
    _resize(200, 255)


def downgrade() -> None:
    _resize(255, 200)
