-- 0018_satisfaction.sql - citizens' ratings of ended dossiers (the
-- satisfaction part of the Decision 766 index). One row per dossier: the
-- applicant rates once. Owned by the satisfaction module; the dossier's
-- agency and procedure are copied from the dossier module's public
-- representation when the rating is given (no reference to its tables).
CREATE TABLE satisfaction_rating (
	dossier_code TEXT PRIMARY KEY,
	agency TEXT NOT NULL,             -- agency handling the dossier when rated
	procedure_code TEXT NOT NULL,
	rater_user_id BIGINT NOT NULL,
	score BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5), -- 5 very satisfied
	on_time BIGINT,                   -- 1 yes, 0 no, NULL not answered
	courteous BIGINT,                 -- officers courteous and helpful
	easy_online BIGINT,               -- online steps easy to follow
	comment TEXT,
	rated_at TEXT NOT NULL            -- YYYY-MM-DDTHH:MM:SSZ
);
CREATE INDEX satisfaction_rating_at ON satisfaction_rating (rated_at);
CREATE INDEX satisfaction_rating_agency ON satisfaction_rating (agency, rated_at);
