-- 0002_audit: append-only, hash-chained audit log (src/audit).
-- seq is assigned by audit_append (head.seq + 1), never by the database, so
-- that it is part of the hashed content. audit_head is a one-row table with
-- the last seq and hash, updated in the same transaction as every append:
-- it detects deletion of the newest entries, which the chain alone cannot.
CREATE TABLE audit_log (
	seq INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	detail TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_object ON audit_log (object, seq);

CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
