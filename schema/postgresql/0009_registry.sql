-- 0009_registry.sql - registries (src/registry): definitions created through
-- the API (built-in ones live in code), records with their current version,
-- every version, and the index of declared fields (reverse relations and
-- field filters).
CREATE TABLE registry_def (
	name TEXT PRIMARY KEY,
	version BIGINT NOT NULL,
	agency TEXT NOT NULL,
	definition TEXT NOT NULL,  -- the definition JSON
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL
);

CREATE TABLE registry_record (
	registry TEXT NOT NULL,
	id TEXT NOT NULL,
	version BIGINT NOT NULL,
	data TEXT NOT NULL,        -- current JSON object
	valid BIGINT NOT NULL,    -- 1 when valid against the schema when written
	filled BIGINT NOT NULL,   -- bit i: property i of the schema is present and not null
	dup_key TEXT,              -- folded duplicate key (duplicate_key fields), NULL if incomplete
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	verified_at TEXT,          -- last verification, NULL when never verified
	PRIMARY KEY (registry, id)
);
CREATE INDEX registry_record_dup ON registry_record (registry, dup_key);
-- covering index of the quality report's totals (one index-only scan)
CREATE INDEX registry_record_quality ON registry_record (registry, verified_at, valid, filled, updated_at);

CREATE TABLE registry_version (
	registry TEXT NOT NULL,
	id TEXT NOT NULL,
	version BIGINT NOT NULL,
	data TEXT NOT NULL,
	changed_by TEXT NOT NULL,
	changed_at TEXT NOT NULL,
	reason TEXT,
	changes TEXT NOT NULL,     -- JSON array of changed field names
	PRIMARY KEY (registry, id, version)
);

CREATE TABLE registry_field (
	registry TEXT NOT NULL,
	field TEXT NOT NULL,
	value TEXT NOT NULL,
	id TEXT NOT NULL,
	PRIMARY KEY (registry, field, value, id)
);
CREATE INDEX registry_field_id ON registry_field (registry, id, field);
