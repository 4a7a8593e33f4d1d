-- Applications withdrawn by their applicant (a final state whose workflow outcome is
-- "withdrawn"), counted apart from the completed and the rejected ones.
ALTER TABLE kpi_daily ADD COLUMN withdrawn BIGINT NOT NULL DEFAULT 0;
ALTER TABLE kpi_monthly ADD COLUMN withdrawn BIGINT NOT NULL DEFAULT 0;
