"""read contract v1: views for dashboards and alerting, personal data masked

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

VIEWS = ("v_case", "v_case_member", "v_daily_counts", "v_alert_feed")


def _sql(dialect: str) -> dict[str, str]:
    if dialect == "postgresql":
        day = "(r.reported_at AT TIME ZONE 'Asia/Shanghai')::date"
        right4 = "right({c}, 4)"
    else:
        day = "date(r.reported_at, '+8 hours')"
        right4 = "substr({c}, -4)"
    # 138****1234 and 620102********123X: enough to recognise, not enough to identify.
    phone = (
        f"CASE WHEN r.phone IS NULL THEN NULL WHEN length(r.phone) >= 7 "
        f"THEN substr(r.phone, 1, 3) || '****' || {right4.format(c='r.phone')} ELSE '****' END"
    )
    id_number = (
        f"CASE WHEN r.id_number IS NULL THEN NULL WHEN length(r.id_number) >= 10 "
        f"THEN substr(r.id_number, 1, 6) || '********' || {right4.format(c='r.id_number')} "
        f"ELSE '********' END"
    )
    name = "CASE WHEN r.name IS NULL THEN NULL ELSE substr(r.name, 1, 1) || '**' END"
    return {
        "v_case": """
            SELECT c.case_id, c.status, c.merged_into, c.category, c.district, c.first_reported_at,
                   c.last_reported_at, c.n_records, c.n_channels, c.created_batch_id, c.updated_batch_id
            FROM complaint_case c""",
        "v_case_member": f"""
            SELECT m.case_id, m.record_id, r.source, r.source_record_id, r.reported_at, {name} AS name_masked,
                   {phone} AS phone_masked, {id_number} AS id_number_masked, r.district, r.street,
                   r.community, r.grid, r.category, r.content, r.status, m.match_probability,
                   m.matched_record_id, m.batch_id
            FROM case_member m JOIN complaint_record r ON r.record_id = m.record_id""",
        "v_daily_counts": f"""
            SELECT {day} AS report_date, r.district, r.category, r.source AS channel,
                   count(*) AS n_records, count(DISTINCT m.case_id) AS n_cases
            FROM complaint_record r JOIN case_member m ON m.record_id = r.record_id
            GROUP BY {day}, r.district, r.category, r.source""",
        "v_alert_feed": """
            SELECT c.case_id, c.status, c.merged_into, c.category, c.district, c.first_reported_at,
                   c.last_reported_at, c.n_records, c.n_channels, c.updated_batch_id, b.window_end AS updated_window_end
            FROM complaint_case c JOIN batch b ON b.batch_id = c.updated_batch_id""",
    }


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for view, body in _sql(dialect).items():
        op.execute(f"CREATE VIEW {view} AS {body}")
    if dialect == "postgresql":
        comments = {
            "v_case": "One row per case (one complainant's one dispute). Merged cases stay, pointing to the survivor.",
            "v_case_member": "Every pooled source record with its case and match score; personal data masked.",
            "v_daily_counts": "Records and cases per Beijing-time day, district, category and channel.",
            "v_alert_feed": "Cases with the batch window that last changed them, for the alerting layer.",
        }
        for view, text in comments.items():
            quoted = text.replace("'", "''")
            op.execute(f"COMMENT ON VIEW {view} IS '{quoted}'")


def downgrade() -> None:
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {view}")
