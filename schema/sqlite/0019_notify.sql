-- 0019_notify.sql - notifications (src/notify, docs/NOTIFICATIONS.md): the
-- inbox messages made from outbox events, a person's contact and channel
-- preferences, and the deliveries of each message by e-mail and SMS with
-- their status, attempts and next attempt (exponential backoff).
CREATE TABLE notify_message (
	id INTEGER PRIMARY KEY,
	person_id TEXT NOT NULL,         -- recipient's personal number
	event_seq INTEGER NOT NULL,      -- event_outbox.seq it came from
	event_type TEXT NOT NULL,
	subject_vi TEXT NOT NULL,
	subject_en TEXT NOT NULL,
	body_vi TEXT NOT NULL,
	body_en TEXT NOT NULL,
	link TEXT,                       -- portal path (/ho-so/..., /de-xuat/...)
	created_at TEXT NOT NULL,
	read_at TEXT,
	UNIQUE (event_seq, person_id)
);
CREATE INDEX notify_message_person ON notify_message (person_id, id);
CREATE INDEX notify_message_unread ON notify_message (person_id) WHERE read_at IS NULL;

CREATE TABLE notify_contact (
	person_id TEXT PRIMARY KEY,
	email TEXT,
	phone TEXT,                      -- E.164 (+84...)
	email_enabled INTEGER NOT NULL,
	sms_enabled INTEGER NOT NULL,
	lang TEXT NOT NULL,              -- vi or en: language of e-mail and SMS
	updated_at TEXT NOT NULL
);

CREATE TABLE notify_delivery (
	id INTEGER PRIMARY KEY,
	message_id INTEGER NOT NULL REFERENCES notify_message (id),
	channel TEXT NOT NULL,           -- email or sms
	address TEXT NOT NULL,
	lang TEXT NOT NULL,
	status TEXT NOT NULL,            -- pending, sent, failed
	attempts INTEGER NOT NULL,
	next_attempt_at TEXT,            -- when pending: due time or lease end
	last_error TEXT,
	sent_at TEXT,
	created_at TEXT NOT NULL,
	UNIQUE (message_id, channel)
);
CREATE INDEX notify_delivery_due ON notify_delivery (next_attempt_at) WHERE status = 'pending';
