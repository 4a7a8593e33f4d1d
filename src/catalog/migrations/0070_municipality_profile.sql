-- The municipality's opening hours, as its administrator writes them in each language
-- (the rest of its profile is in municipalities already).
ALTER TABLE municipalities ADD COLUMN hours_ar TEXT NOT NULL DEFAULT '';
ALTER TABLE municipalities ADD COLUMN hours_en TEXT NOT NULL DEFAULT '';
