-- PostgreSQL copy of schema/sqlite/0004_territory.sql: same tables and columns.
-- 0004_territory: administrative units (provinces and communes since
-- 1 July 2025) and agencies (ministries, People's Committees) (src/territory).
CREATE TABLE unit (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	name_en TEXT NOT NULL,
	full_name TEXT NOT NULL,
	full_name_en TEXT NOT NULL,
	type TEXT NOT NULL CHECK (type IN ('province', 'ward', 'commune', 'special_zone')),
	level TEXT NOT NULL CHECK (level IN ('province', 'commune')),
	parent TEXT REFERENCES unit (code),
	search TEXT NOT NULL -- folded names and code, for ?q=
);
CREATE INDEX unit_level ON unit (level, code);
CREATE INDEX unit_parent ON unit (parent, code);

CREATE TABLE agency (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	name_en TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('central', 'province', 'commune')),
	unit TEXT REFERENCES unit (code),
	parent TEXT REFERENCES agency (code),
	search TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX agency_level ON agency (level, code);
CREATE INDEX agency_unit ON agency (unit, code);
CREATE INDEX agency_parent ON agency (parent, code);
