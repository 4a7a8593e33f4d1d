-- The public report pages: one report's history (its updates, oldest first) read by case.
CREATE INDEX open311_updates_by_case ON open311_updates (case_id, at, id);
