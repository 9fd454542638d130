"""Follows, with denormalised follower/following counters on profiles.

Revision ID: 004_social_features
Revises: 003_stats_and_achievements
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "004_social_features"
down_revision: str | None = "003_stats_and_achievements"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("follower_id", sa.String(36), nullable=False),
        sa.Column("following_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_follows"),
        sa.ForeignKeyConstraint(
            ["follower_id"], ["users.id"], name="fk_follows_follower_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["following_id"],
            ["users.id"],
            name="fk_follows_following_id_users",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("follower_id", "following_id", name="uq_follower_following"),
        sa.CheckConstraint("follower_id <> following_id", name="ck_follows_no_self_follow"),
    )
    op.create_index("ix_follows_follower_id", "follows", ["follower_id"])
    op.create_index("ix_follows_following_id", "follows", ["following_id"])
    op.create_index("ix_follows_created_at", "follows", ["created_at"])
    with op.batch_alter_table("user_profiles") as batch:
        batch.add_column(
            sa.Column("followers_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("following_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch.create_check_constraint(
            "ck_user_profiles_followers_count_non_negative", "followers_count >= 0"
        )
        batch.create_check_constraint(
            "ck_user_profiles_following_count_non_negative", "following_count >= 0"
        )


def downgrade() -> None:
    with op.batch_alter_table("user_profiles") as batch:
        batch.drop_constraint("ck_user_profiles_following_count_non_negative", type_="check")
        batch.drop_constraint("ck_user_profiles_followers_count_non_negative", type_="check")
        batch.drop_column("following_count")
        batch.drop_column("followers_count")
    op.drop_table("follows")
