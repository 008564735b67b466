-- PostgreSQL copy of schema/sqlite/0006_catalog.sql: same tables and columns.
-- 0006_catalog: the national procedure catalog (src/catalog).
-- procedure holds one row per code: the current version and the columns the
-- list filters on (levels and agencies as ",a,b," lists for LIKE), plus the
-- list item as JSON (summary). procedure_version keeps every version's full
-- document and eForm forever, so a dossier can read the version it was
-- submitted under. source_hash detects unchanged records on re-import;
-- form_custom / online_custom remember admin overrides that an import keeps.
CREATE TABLE procedure (
	code TEXT PRIMARY KEY,
	current_version BIGINT NOT NULL,
	name TEXT NOT NULL,
	name_folded TEXT NOT NULL,
	levels TEXT NOT NULL,
	field TEXT,
	field_folded TEXT,
	ministry TEXT,
	agencies TEXT NOT NULL,
	online_level TEXT NOT NULL CHECK (online_level IN ('full', 'partial', 'none')),
	summary TEXT NOT NULL,
	source_hash TEXT,
	form_custom BIGINT NOT NULL DEFAULT 0,
	online_custom BIGINT NOT NULL DEFAULT 0,
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX procedure_ministry ON procedure (ministry, code);
CREATE INDEX procedure_field ON procedure (field_folded, code);
CREATE INDEX procedure_online ON procedure (online_level, code);
CREATE INDEX procedure_name ON procedure (name_folded);

CREATE TABLE procedure_version (
	code TEXT NOT NULL REFERENCES procedure (code),
	version BIGINT NOT NULL,
	doc TEXT NOT NULL,
	form TEXT NOT NULL,
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	PRIMARY KEY (code, version)
);
