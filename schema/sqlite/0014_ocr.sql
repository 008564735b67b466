-- 0014_ocr.sql - text extraction of scans. A job is queued in the same
-- transaction as the upload, so it is never lost; workers claim a job with a
-- lease (state running, lease_until, claimed_by; a restarted worker takes
-- back its own jobs at once) and store the text, which is also put
-- in the full-text index "ocr" (store_text_*) keyed by document id.
CREATE TABLE ocr_job (
	document_id TEXT PRIMARY KEY,    -- document.id
	sha256 TEXT NOT NULL,
	media_type TEXT NOT NULL,
	state TEXT NOT NULL,             -- queued | running | done | failed
	attempts INTEGER NOT NULL DEFAULT 0,
	lease_until TEXT,                -- running: the claim expires then
	claimed_by TEXT,                 -- running: worker id (host and data directory)
	pages INTEGER,                   -- pages read (done)
	text TEXT,                       -- extracted text, UTF-8 (done)
	error TEXT,                      -- reason (failed)
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX ocr_job_state ON ocr_job (state, created_at);
