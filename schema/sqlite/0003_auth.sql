-- 0003_auth: accounts, bearer tokens (stored as SHA-256 hashes only) and
-- failed login attempts for rate limiting (src/auth).
CREATE TABLE user_account (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	password_hash TEXT NOT NULL, -- argon2id, libsodium crypto_pwhash_str format
	role TEXT NOT NULL CHECK (role IN ('citizen', 'officer', 'admin')),
	agency TEXT,                 -- officer's agency code (territory)
	person_id TEXT,              -- 12-digit personal identification number
	created_at TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX user_account_role ON user_account (role, id);

CREATE TABLE auth_token (
	token_hash TEXT PRIMARY KEY, -- hex SHA-256 of the token; the token itself is never stored
	user_id INTEGER NOT NULL REFERENCES user_account (id),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX auth_token_user ON auth_token (user_id);
CREATE INDEX auth_token_expires ON auth_token (expires_at);

-- One row per failed login, for both the username ('u:<name>') and the
-- client address ('ip:<addr>'); rows older than the window are pruned.
CREATE TABLE login_attempt (
	subject TEXT NOT NULL,
	at TEXT NOT NULL
);
CREATE INDEX login_attempt_subject ON login_attempt (subject, at);
CREATE INDEX login_attempt_at ON login_attempt (at);
