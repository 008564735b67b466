-- 0011_vault.sql - the vault (kho dữ liệu điện tử): each person's and
-- business's stored documents (issued results, uploads, documents recorded
-- from registries) and every reuse of an item by a dossier. Registry-backed
-- facts are computed from the registries when read, never copied here.
CREATE TABLE vault_item (
	id TEXT PRIMARY KEY,             -- 32 hex digits (128 random bits)
	holder TEXT NOT NULL,            -- personal number (12 digits) or enterprise code
	holder_kind TEXT NOT NULL,       -- person | business
	doc_type TEXT NOT NULL,          -- code of the document-type dictionary
	title TEXT,                      -- human title (optional)
	issuer TEXT,                     -- issuing agency code (NULL for the holder's uploads)
	valid_from TEXT,                 -- YYYY-MM-DD or NULL
	valid_until TEXT,                -- YYYY-MM-DD or NULL (no end)
	content_sha256 TEXT,             -- hex SHA-256 of the content (blobs live in document)
	document_id TEXT,                -- document module id of the bytes, when uploaded
	status TEXT NOT NULL,            -- unverified | verified | revoked
	source TEXT NOT NULL,            -- result | upload | registry
	ref TEXT,                        -- originating object: result id, dossier code
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,        -- username or "system"
	status_at TEXT NOT NULL,
	status_by TEXT NOT NULL,
	status_reason TEXT
);
CREATE INDEX vault_item_holder ON vault_item (holder, created_at, id);
CREATE INDEX vault_item_created ON vault_item (created_at);
CREATE INDEX vault_item_ref ON vault_item (ref);

CREATE TABLE vault_use (
	item_id TEXT NOT NULL REFERENCES vault_item (id),
	dossier_code TEXT NOT NULL,
	component TEXT NOT NULL,
	used_at TEXT NOT NULL,
	PRIMARY KEY (item_id, dossier_code, component)
);
CREATE INDEX vault_use_dossier ON vault_use (dossier_code);
