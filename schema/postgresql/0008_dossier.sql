-- PostgreSQL copy of schema/sqlite/0008_dossier.sql: same tables and columns.
-- 0008_dossier.sql - dossiers of the one-stop shop: the dossier with its
-- lifecycle fields, its components (attached documents), its history, the
-- gap-free daily code sequence per agency and submission idempotency keys.
CREATE TABLE dossier (
	code TEXT PRIMARY KEY,                 -- <agency>-<YYMMDD>-<NNNN>
	procedure_code TEXT NOT NULL,
	procedure_version BIGINT NOT NULL,    -- catalog version the dossier was submitted under
	procedure_name TEXT NOT NULL,
	agency TEXT NOT NULL,                  -- agency handling it now (changes on transfer)
	receiving_agency TEXT NOT NULL,        -- agency it was submitted to
	channel TEXT NOT NULL,                 -- online | in_person | post
	status BIGINT NOT NULL,               -- national status code 1..10
	applicant_user_id BIGINT NOT NULL,
	applicant_username TEXT NOT NULL,
	applicant_person_id TEXT,
	form TEXT NOT NULL,                    -- JSON object (eForm data)
	submitted_at TEXT NOT NULL,
	received_at TEXT,
	due_date TEXT,                         -- YYYY-MM-DD, set on receive
	finished_at TEXT,
	timeliness TEXT,                       -- on_time | late, set on finish
	supplement_requests BIGINT NOT NULL DEFAULT 0,
	supplement_request TEXT,               -- JSON {items, note, requested_at}
	supplement_from BIGINT,               -- status before the supplement request
	supplement_since TEXT,                 -- YYYY-MM-DD (Vietnam day) of the request
	apology TEXT,                          -- JSON {new_due_date, previous_due_date, reason, at}
	payment TEXT,                          -- JSON {amount, reason, requested_at, paid_at}
	result TEXT,                           -- JSON object given on finish
	row_version BIGINT NOT NULL DEFAULT 1,
	updated_at TEXT NOT NULL
);
CREATE INDEX dossier_queue ON dossier (agency, due_date, code);
CREATE INDEX dossier_applicant ON dossier (applicant_user_id, code);
CREATE INDEX dossier_status ON dossier (status);

CREATE TABLE dossier_component (
	dossier_code TEXT NOT NULL REFERENCES dossier (code),
	seq BIGINT NOT NULL,
	component TEXT NOT NULL,               -- component id in the procedure ("c1")
	component_name TEXT,
	document_id TEXT NOT NULL,
	added_at TEXT NOT NULL,
	PRIMARY KEY (dossier_code, seq)
);

CREATE TABLE dossier_event (
	dossier_code TEXT NOT NULL REFERENCES dossier (code),
	seq BIGINT NOT NULL,
	occurred_at TEXT NOT NULL,
	actor TEXT NOT NULL,                   -- username
	actor_role TEXT NOT NULL,
	action_name TEXT NOT NULL,             -- submit, receive, ...
	from_status BIGINT,
	to_status BIGINT NOT NULL,
	agency TEXT NOT NULL,                  -- agency handling the dossier before the event
	note TEXT,
	details TEXT,                          -- JSON object
	PRIMARY KEY (dossier_code, seq)
);
CREATE INDEX dossier_event_agency ON dossier_event (agency, dossier_code);

CREATE TABLE dossier_seq (
	agency TEXT NOT NULL,
	day TEXT NOT NULL,                     -- YYYY-MM-DD, Vietnam local day
	n BIGINT NOT NULL,
	PRIMARY KEY (agency, day)
);

CREATE TABLE idempotency (
	user_id BIGINT NOT NULL,
	idem_key TEXT NOT NULL,
	body_hash TEXT NOT NULL,               -- hex SHA-256 of the canonical request body
	dossier_code TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (user_id, idem_key)
);
