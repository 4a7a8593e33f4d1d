-- Municipalities (tenants) and their departments, with Arabic and English names.
CREATE TABLE municipalities (
  id ${ID},
  slug TEXT NOT NULL UNIQUE,
  name_ar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  governorate_ar TEXT NOT NULL DEFAULT '',
  governorate_en TEXT NOT NULL DEFAULT '',
  address_ar TEXT NOT NULL DEFAULT '',
  address_en TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE departments (
  id ${ID},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  slug TEXT NOT NULL,
  name_ar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (municipality_id, slug)
);
CREATE INDEX departments_by_municipality ON departments (municipality_id, sort_order);
