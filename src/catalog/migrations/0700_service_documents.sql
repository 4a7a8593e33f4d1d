-- The document a service issues when its case completes (catalog/document_template.h), as
-- JSON; empty: none.
ALTER TABLE services ADD COLUMN document_json TEXT NOT NULL DEFAULT '';
