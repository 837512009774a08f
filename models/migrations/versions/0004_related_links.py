"""links between postmortems: related, recurrence of, and dismissed suggestions;
an index for milestones across the library

One row per pair of postmortems (``uq_postmortem_link_pair``; the store also
refuses the reverse pair), deleted with either postmortem. AUTOINCREMENT like
every table since 0002, so undo can put a link back with its old id.

ix_timeline_event_kind_pm_at answers "the first event of each milestone kind
per postmortem" from the index alone: `postmortem stats`, Insights and the
library's start times read it for every postmortem at once.

Revision ID: 0004_related_links
Revises: 0003_search_index
Create Date: 2026-12-01 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004_related_links"
down_revision: str | None = "0003_search_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "postmortem_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("postmortem_id", sa.Integer(), nullable=True),
        sa.Column("other_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["other_id"], ["postmortem.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["postmortem_id"], ["postmortem.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("postmortem_id", "other_id", name="uq_postmortem_link_pair"),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("postmortem_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_postmortem_link_postmortem_id"), ["postmortem_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_postmortem_link_other_id"), ["other_id"], unique=False)
    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_timeline_event_kind_pm_at", ["kind", "postmortem_id", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("timeline_event", schema=None) as batch_op:
        batch_op.drop_index("ix_timeline_event_kind_pm_at")
    with op.batch_alter_table("postmortem_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_postmortem_link_other_id"))
        batch_op.drop_index(batch_op.f("ix_postmortem_link_postmortem_id"))
    op.drop_table("postmortem_link")
