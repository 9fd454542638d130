"""Travel diary: the trip <-> tag association.

Revision ID: 006_trip_tags_association
Revises: 005_travel_diary_trips
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "006_trip_tags_association"
down_revision: str | None = "005_travel_diary_trips"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trip_tags",
        sa.Column("trip_id", sa.String(36), nullable=False),
        sa.Column("tag_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("trip_id", "tag_id", name="pk_trip_tags"),
        sa.ForeignKeyConstraint(
            ["trip_id"], ["trips.trip_id"], name="fk_trip_tags_trip_id_trips", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.tag_id"], name="fk_trip_tags_tag_id_tags", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_trip_tags_tag_id", "trip_tags", ["tag_id"])


def downgrade() -> None:
    op.drop_table("trip_tags")
