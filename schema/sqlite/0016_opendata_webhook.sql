-- 0016_opendata_webhook.sql - webhooks for dataset changes: registered
-- receivers and one delivery row per (receiver, change) with its status.
CREATE TABLE od_webhook (
	id INTEGER PRIMARY KEY,
	url TEXT NOT NULL,
	secret TEXT NOT NULL,            -- HMAC-SHA256 key shared with the receiver
	agency TEXT,                     -- only this agency's datasets, NULL = all
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	last_seq INTEGER NOT NULL        -- changes up to this seq are queued
);

CREATE TABLE od_delivery (
	id INTEGER PRIMARY KEY,
	webhook_id INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	status TEXT NOT NULL,            -- pending | delivered | failed
	attempts INTEGER NOT NULL,
	next_at TEXT NOT NULL,
	last_status INTEGER NOT NULL,    -- HTTP status of the last attempt, 0 = none
	last_error TEXT,
	UNIQUE (webhook_id, seq)
);
CREATE INDEX od_delivery_due ON od_delivery (status, next_at);
