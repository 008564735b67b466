-- 0013_result.sql - signed electronic results. Each agency has Ed25519 key
-- pairs (one active at a time; retired keys stay so old results verify);
-- the secret key is stored encrypted with the node's master key
-- (XChaCha20-Poly1305, the key id and agency as associated data). A result
-- is the canonical JSON bytes that were signed, the signature and the key id.
CREATE TABLE result_key (
	id TEXT PRIMARY KEY,             -- "k" + 16 hex digits of SHA-256(public key)
	agency TEXT NOT NULL,            -- agency code
	public_key TEXT NOT NULL,        -- hex, 32 bytes
	secret_enc TEXT NOT NULL,        -- hex of nonce (24 bytes) || ciphertext
	active INTEGER NOT NULL,         -- 1 for the key used to sign now, else 0
	created_at TEXT NOT NULL,
	retired_at TEXT
);
CREATE UNIQUE INDEX result_key_active ON result_key (agency) WHERE active = 1;
CREATE INDEX result_key_agency ON result_key (agency, created_at);

CREATE TABLE result (
	id TEXT PRIMARY KEY,             -- 32 hex digits (128 random bits)
	dossier_code TEXT NOT NULL UNIQUE,
	agency TEXT NOT NULL,            -- issuing agency
	key_id TEXT NOT NULL REFERENCES result_key (id),
	applicant_user_id INTEGER NOT NULL,
	document TEXT NOT NULL,          -- canonical JSON, exactly the signed bytes
	signature TEXT NOT NULL,         -- hex Ed25519 signature (64 bytes)
	issued_at TEXT NOT NULL,
	revoked_at TEXT,
	revoked_by TEXT,
	revoke_reason TEXT,
	vault_item TEXT                  -- the applicant's vault item holding it, or NULL
);
CREATE INDEX result_applicant ON result (applicant_user_id, issued_at);
