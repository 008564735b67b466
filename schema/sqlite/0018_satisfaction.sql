-- 0018_satisfaction.sql - citizens' ratings of ended dossiers (the
-- satisfaction part of the Decision 766 index). One row per dossier: the
-- applicant rates once. Owned by the satisfaction module; the dossier's
-- agency and procedure are copied from the dossier module's public
-- representation when the rating is given (no reference to its tables).
CREATE TABLE satisfaction_rating (
	dossier_code TEXT PRIMARY KEY,
	agency TEXT NOT NULL,             -- agency handling the dossier when rated
	procedure_code TEXT NOT NULL,
	rater_user_id INTEGER NOT NULL,
	score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5), -- 5 very satisfied
	on_time INTEGER,                  -- 1 yes, 0 no, NULL not answered
	courteous INTEGER,                -- officers courteous and helpful
	easy_online INTEGER,              -- online steps easy to follow
	comment TEXT,
	rated_at TEXT NOT NULL            -- YYYY-MM-DDTHH:MM:SSZ
);
CREATE INDEX satisfaction_rating_at ON satisfaction_rating (rated_at);
CREATE INDEX satisfaction_rating_agency ON satisfaction_rating (agency, rated_at);

-- Feedback (PAKN, phản ánh kiến nghị) about a dossier: the applicant writes,
-- an officer of the handling agency (or an admin) answers once.
CREATE TABLE satisfaction_feedback (
	id TEXT PRIMARY KEY,              -- 32 hex digits
	dossier_code TEXT NOT NULL,
	agency TEXT NOT NULL,             -- agency handling the dossier when sent
	author_user_id INTEGER NOT NULL,
	content TEXT NOT NULL,
	created_at TEXT NOT NULL,
	answer TEXT,                      -- NULL until answered
	answered_by TEXT,                 -- username of the officer
	answered_at TEXT
);
CREATE INDEX satisfaction_feedback_dossier ON satisfaction_feedback (dossier_code, created_at);
CREATE INDEX satisfaction_feedback_agency ON satisfaction_feedback (agency, answered_at, created_at);
