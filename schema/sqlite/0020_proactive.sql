-- 0020_proactive.sql - proactive services: offers made to a person after a
-- life event recorded in a registry (event outbox, consumer cursor
-- "proactive"). One offer per (event, recipient, procedure); the pre-filled
-- eForm and the reason are kept as they were when the offer was made. The
-- dossier an accepted offer became is recorded here, and the dossier
-- records its origin in its own table (0021).
CREATE TABLE proactive_offer (
	id TEXT PRIMARY KEY,             -- 32 hex characters
	event_seq INTEGER NOT NULL,       -- event_outbox.seq of the life event
	event_type TEXT NOT NULL,        -- person.born, person.died, ...
	rule_id TEXT NOT NULL,           -- rule of data/life-events.json
	recipient TEXT NOT NULL,         -- personal number of the person offered
	subject TEXT NOT NULL,           -- person or business the event is about
	procedure_code TEXT NOT NULL,
	procedure_name TEXT NOT NULL,
	agency TEXT NOT NULL,            -- receiving agency the dossier goes to
	reason_vi TEXT NOT NULL,
	reason_en TEXT NOT NULL,
	form TEXT NOT NULL,              -- JSON object: the pre-filled eForm
	status TEXT NOT NULL,            -- open | accepted | declined | superseded
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	decided_at TEXT,
	dossier_code TEXT,               -- accepted: the dossier submitted
	UNIQUE (event_seq, recipient, procedure_code)
);
CREATE INDEX proactive_offer_recipient ON proactive_offer (recipient, created_at);
