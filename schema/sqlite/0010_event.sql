-- 0010_event.sql - the event outbox (src/event): rows written in the same
-- transaction as the change that caused them, read by consumers in seq
-- order with a cursor; consumer positions for idempotent consumers.
CREATE TABLE event_outbox (
	seq INTEGER PRIMARY KEY,
	type TEXT NOT NULL,        -- e.g. person.born
	subject TEXT NOT NULL,     -- e.g. persons/001090012345
	payload TEXT NOT NULL,     -- JSON object
	created_at TEXT NOT NULL
);
CREATE INDEX event_outbox_type ON event_outbox (type, seq);

CREATE TABLE event_consumer (
	name TEXT PRIMARY KEY,
	position INTEGER NOT NULL, -- last seq processed
	updated_at TEXT NOT NULL
);
