-- A municipality's search synonyms (catalog/search.h): a query word (term) also finds the
-- services that contain one of its alternatives (one a line). Edited by the municipal admin.
CREATE TABLE search_synonyms (
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  position BIGINT NOT NULL,
  term TEXT NOT NULL,
  alternatives TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (municipality_id, position)
);
