"""Privacy settings: profile and trip visibility, show_email / show_location.

Revision ID: 002_add_privacy_settings
Revises: 001_initial_auth_schema
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "002_add_privacy_settings"
down_revision: str | None = "001_initial_auth_schema"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("profile_visibility", sa.String(20), nullable=False, server_default="public")
        )
        batch.add_column(
            sa.Column("trip_visibility", sa.String(20), nullable=False, server_default="public")
        )
        batch.create_check_constraint(
            "ck_users_profile_visibility", "profile_visibility IN ('public', 'private')"
        )
        batch.create_check_constraint(
            "ck_users_trip_visibility", "trip_visibility IN ('public', 'followers', 'private')"
        )
    op.create_index("ix_users_profile_visibility", "users", ["profile_visibility"])
    op.create_index("ix_users_trip_visibility", "users", ["trip_visibility"])
    with op.batch_alter_table("user_profiles") as batch:
        batch.add_column(
            sa.Column("show_email", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("show_location", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("user_profiles") as batch:
        batch.drop_column("show_location")
        batch.drop_column("show_email")
    op.drop_index("ix_users_trip_visibility", table_name="users")
    op.drop_index("ix_users_profile_visibility", table_name="users")
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("ck_users_trip_visibility", type_="check")
        batch.drop_constraint("ck_users_profile_visibility", type_="check")
        batch.drop_column("trip_visibility")
        batch.drop_column("profile_visibility")
