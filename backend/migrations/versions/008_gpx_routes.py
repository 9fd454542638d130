"""GPX routes: tracks of trips (also their processing jobs), simplified track points, route
statistics, and riders' privacy zones.

Revision ID: 008_gpx_routes
Revises: 007_social_interactions
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "008_gpx_routes"
down_revision: str | None = "007_social_interactions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "gpx_files",
        sa.Column("gpx_file_id", sa.String(36), nullable=False),
        sa.Column("trip_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("file_key", sa.String(500), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_size", sa.Integer(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("elevation_gain", sa.Float(), nullable=True),
        sa.Column("elevation_loss", sa.Float(), nullable=True),
        sa.Column("max_elevation", sa.Float(), nullable=True),
        sa.Column("min_elevation", sa.Float(), nullable=True),
        sa.Column("start_lat", sa.Float(), nullable=True),
        sa.Column("start_lon", sa.Float(), nullable=True),
        sa.Column("end_lat", sa.Float(), nullable=True),
        sa.Column("end_lon", sa.Float(), nullable=True),
        sa.Column("total_points", sa.Integer(), nullable=True),
        sa.Column("simplified_points", sa.Integer(), nullable=True),
        sa.Column("has_elevation", sa.Boolean(), nullable=False),
        sa.Column("has_timestamps", sa.Boolean(), nullable=False),
        sa.Column("processing_status", sa.String(20), nullable=False),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_expires_at", TS, nullable=True),
        sa.Column("fills_trip_distance", sa.Boolean(), nullable=False),
        sa.Column("uploaded_at", TS, nullable=False),
        sa.Column("processed_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("gpx_file_id", name="pk_gpx_files"),
        sa.ForeignKeyConstraint(
            ["trip_id"], ["trips.trip_id"], name="fk_gpx_files_trip_id_trips", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_gpx_files_user_id_users", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("trip_id", name="uq_gpx_files_trip_id"),
        sa.CheckConstraint(
            "processing_status IN ('pending', 'processing', 'completed', 'failed')",
            name="ck_gpx_files_processing_status",
        ),
    )
    op.create_index("ix_gpx_files_user_id", "gpx_files", ["user_id"])
    op.create_index(
        "ix_gpx_files_status_lease", "gpx_files", ["processing_status", "lease_expires_at"]
    )

    op.create_table(
        "track_points",
        sa.Column("point_id", sa.String(36), nullable=False),
        sa.Column("gpx_file_id", sa.String(36), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("elevation", sa.Float(), nullable=True),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("gradient", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("point_id", name="pk_track_points"),
        sa.ForeignKeyConstraint(
            ["gpx_file_id"],
            ["gpx_files.gpx_file_id"],
            name="fk_track_points_gpx_file_id_gpx_files",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "gpx_file_id", "sequence", name="uq_track_points_gpx_file_id_sequence"
        ),
    )

    op.create_table(
        "route_statistics",
        sa.Column("stats_id", sa.String(36), nullable=False),
        sa.Column("gpx_file_id", sa.String(36), nullable=False),
        sa.Column("avg_speed_kmh", sa.Float(), nullable=True),
        sa.Column("max_speed_kmh", sa.Float(), nullable=True),
        sa.Column("total_time_minutes", sa.Float(), nullable=True),
        sa.Column("moving_time_minutes", sa.Float(), nullable=True),
        sa.Column("avg_gradient", sa.Float(), nullable=True),
        sa.Column("max_gradient", sa.Float(), nullable=True),
        sa.Column("top_climbs", sa.JSON(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("stats_id", name="pk_route_statistics"),
        sa.ForeignKeyConstraint(
            ["gpx_file_id"],
            ["gpx_files.gpx_file_id"],
            name="fk_route_statistics_gpx_file_id_gpx_files",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("gpx_file_id", name="uq_route_statistics_gpx_file_id"),
    )

    op.create_table(
        "privacy_zones",
        sa.Column("zone_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(50), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("radius_m", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("zone_id", name="pk_privacy_zones"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_privacy_zones_user_id_users", ondelete="CASCADE"
        ),
        sa.CheckConstraint(
            "latitude >= -90 AND latitude <= 90", name="ck_privacy_zones_latitude_range"
        ),
        sa.CheckConstraint(
            "longitude >= -180 AND longitude <= 180", name="ck_privacy_zones_longitude_range"
        ),
        sa.CheckConstraint(
            "radius_m >= 200 AND radius_m <= 2000", name="ck_privacy_zones_radius_range"
        ),
    )
    op.create_index("ix_privacy_zones_user_id", "privacy_zones", ["user_id"])


def downgrade() -> None:
    op.drop_table("privacy_zones")
    op.drop_table("route_statistics")
    op.drop_table("track_points")
    op.drop_table("gpx_files")
