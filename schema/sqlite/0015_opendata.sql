-- 0015_opendata.sql - open data: datasets owned by agencies (CKAN
-- packages / DCAT-AP datasets), their tags, resources (distributions), every
-- stored version of a resource's content, resumable uploads and the change
-- feed. Metadata documents are JSON text; the columns beside them are the
-- search and sort keys (see docs/OPENDATA.md).
CREATE TABLE od_dataset (
	id INTEGER PRIMARY KEY,
	uuid TEXT NOT NULL UNIQUE,       -- CKAN "id" (UUID)
	name TEXT NOT NULL UNIQUE,       -- CKAN "name" (slug)
	agency TEXT NOT NULL,            -- owning agency code (CKAN organization)
	title_sort TEXT NOT NULL,        -- folded Vietnamese title
	license_id TEXT NOT NULL,
	formats TEXT NOT NULL,           -- "|csv|json|" (folded resource formats)
	themes TEXT NOT NULL,            -- "|gove|soci|" (folded theme codes)
	search_text TEXT NOT NULL,       -- folded titles, descriptions, keywords, name
	generated INTEGER NOT NULL,      -- 1 when motcua generates it
	created_at TEXT NOT NULL,
	modified_at TEXT NOT NULL,
	row_version INTEGER NOT NULL,     -- +1 on every change (keys the read cache)
	doc TEXT NOT NULL                -- metadata JSON without resources
);
CREATE INDEX od_dataset_agency ON od_dataset (agency, uuid);
CREATE INDEX od_dataset_modified ON od_dataset (modified_at, uuid);
CREATE INDEX od_dataset_title ON od_dataset (title_sort, uuid);
-- SQLite only: a covering index of the search columns, so that word
-- filters, counts and facets scan it instead of the rows with their
-- documents (4x faster on 10,000 datasets). PostgreSQL scans the table (a
-- B-tree entry there is limited to about 2.7 kB, less than search_text).
CREATE INDEX od_dataset_search ON od_dataset (search_text, agency, license_id, formats, themes, uuid);

CREATE TABLE od_tag (
	dataset_id INTEGER NOT NULL,
	tag TEXT NOT NULL,               -- keyword as published
	PRIMARY KEY (dataset_id, tag)
);
CREATE INDEX od_tag_tag ON od_tag (tag, dataset_id);

CREATE TABLE od_resource (
	id INTEGER PRIMARY KEY,
	uuid TEXT NOT NULL UNIQUE,
	dataset_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	format TEXT NOT NULL,            -- CSV | JSON
	version INTEGER NOT NULL,        -- current content version, 0 = none yet
	created_at TEXT NOT NULL,
	modified_at TEXT NOT NULL,
	doc TEXT NOT NULL                -- {name, description, schema}
);
CREATE INDEX od_resource_dataset ON od_resource (dataset_id, position);

CREATE TABLE od_resource_version (
	resource_id INTEGER NOT NULL,
	version INTEGER NOT NULL,
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	rows_count INTEGER NOT NULL,     -- data rows (CSV), -1 when not counted
	file TEXT NOT NULL,              -- file name under DATA/opendata/files
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	PRIMARY KEY (resource_id, version)
);

CREATE TABLE od_upload (
	id TEXT PRIMARY KEY,             -- 32 hex digits
	resource_id INTEGER NOT NULL,
	length INTEGER NOT NULL,         -- announced total size
	received INTEGER NOT NULL,       -- bytes durably stored so far
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL
);

CREATE TABLE od_change (
	seq INTEGER PRIMARY KEY,         -- change-feed cursor
	dataset_uuid TEXT NOT NULL,
	name TEXT NOT NULL,
	agency TEXT NOT NULL,
	action TEXT NOT NULL,            -- created | updated | resource | deleted
	at TEXT NOT NULL
);
CREATE INDEX od_change_agency ON od_change (agency, at);
