-- 0022_exchange.sql - exchange and consent (src/exchange): the consents a
-- person gives an agency for one data category and purpose until an expiry
-- day, and the access log ("who used my data"): every read of a person's
-- data by someone other than the person, allowed or denied, with its legal
-- basis and, for exchange reads, the digest and Ed25519 signature of the
-- answer. Owned by the exchange module.
CREATE TABLE consent (
	id TEXT PRIMARY KEY,             -- 32 hex digits (128 random bits)
	person_id TEXT NOT NULL,         -- personal number of the person who consents
	agency TEXT NOT NULL,            -- agency code (territory module)
	category TEXT NOT NULL,          -- data category code (exchange_categories)
	purpose TEXT NOT NULL,           -- why, in the person's words (capped)
	expires_on TEXT NOT NULL,        -- YYYY-MM-DD, last day the consent holds
	granted_at TEXT NOT NULL,        -- YYYY-MM-DDTHH:MM:SSZ
	granted_by TEXT NOT NULL,        -- username
	revoked_at TEXT,                 -- NULL while not revoked
	revoked_by TEXT
);
CREATE INDEX consent_person ON consent (person_id, granted_at, id);
CREATE INDEX consent_person_agency ON consent (person_id, agency, category);

CREATE TABLE data_access (
	seq INTEGER PRIMARY KEY,         -- 1, 2, ... (writes are serialised)
	at TEXT NOT NULL,                -- YYYY-MM-DDTHH:MM:SSZ
	person_id TEXT NOT NULL,         -- whose data
	actor TEXT NOT NULL,             -- username who read
	agency TEXT,                     -- the reader's agency (NULL for administrators)
	category TEXT NOT NULL,          -- data category or "registry:<name>"
	purpose TEXT,
	basis TEXT NOT NULL,             -- consent:<id> | dossier:<code> | law:<ref> | role:<role> | none
	channel TEXT NOT NULL,           -- exchange | vault | registry
	outcome TEXT NOT NULL,           -- allowed | denied
	digest TEXT,                     -- hex SHA-256 of the signed answer (exchange reads)
	key_id TEXT,                     -- signing key of the agency (result module)
	signature TEXT                   -- hex Ed25519 signature of the answer
);
CREATE INDEX data_access_person ON data_access (person_id, seq);
