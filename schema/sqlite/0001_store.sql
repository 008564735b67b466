-- 0001_store.sql - tables owned by the store itself: the migration ledger
-- (created by store_migrate before this file runs) and the full-text index
-- behind store_text_* (FTS5 here; tsvector in the PostgreSQL backend).
CREATE VIRTUAL TABLE text_index USING fts5(body, tokenize = 'unicode61');
CREATE TABLE text_index_key (
  idx   TEXT NOT NULL,
  key   TEXT NOT NULL,
  docid INTEGER NOT NULL,
  PRIMARY KEY (idx, key)
);
CREATE UNIQUE INDEX text_index_key_docid ON text_index_key (docid);
