-- PostgreSQL copy of schema/sqlite/0007_document.sql: same tables and columns.
-- 0007_document.sql - uploaded attachments. The bytes live once per SHA-256
-- under DATA/blobs/aa/bb/<sha256>; a row per upload records owner, type,
-- size and the optional file name.
CREATE TABLE document (
	id TEXT PRIMARY KEY,            -- 32 hex digits (128 random bits)
	sha256 TEXT NOT NULL,           -- hex SHA-256 of the content
	media_type TEXT NOT NULL,       -- application/pdf, image/png, image/jpeg, image/tiff
	size BIGINT NOT NULL,
	name TEXT,                      -- optional file name given by the uploader
	owner_user_id BIGINT NOT NULL, -- user_account id of the uploader
	created_at TEXT NOT NULL        -- YYYY-MM-DDTHH:MM:SSZ
);
CREATE INDEX document_owner ON document (owner_user_id, created_at);
CREATE INDEX document_sha256 ON document (sha256);
