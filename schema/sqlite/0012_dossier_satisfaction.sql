-- 0012_dossier_satisfaction.sql - how each component of a dossier is
-- satisfied (once-only): by an upload, a vault item, a registry fact, the
-- eForm, or still missing. One row per required document component of the
-- procedure and per component the applicant gave. Owned by the dossier
-- module; the rates of the vault read it through dossier functions.
CREATE TABLE dossier_satisfaction (
	dossier_code TEXT NOT NULL REFERENCES dossier (code),
	component TEXT NOT NULL,
	required INTEGER NOT NULL,        -- 1: a document needed in every case
	doc_type TEXT,                    -- document type (vault dictionary), NULL: untyped
	source TEXT NOT NULL,             -- upload | vault | registry | form | missing
	vault_item_id TEXT,
	registry_fact TEXT,               -- identity | residence | relations
	document_id TEXT,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (dossier_code, component)
);
CREATE INDEX dossier_satisfaction_source ON dossier_satisfaction (source);
