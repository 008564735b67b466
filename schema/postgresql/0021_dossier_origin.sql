-- 0021_dossier_origin.sql - where a dossier started: the proactive offer it
-- was submitted from (NULL: the person applied on their own). Owned by the
-- dossier module; set by dossier_submit_from_offer in the submission's own
-- write, counted by dossier_origin_counts for the "essential services
-- delivered proactively" figure.
ALTER TABLE dossier ADD COLUMN origin_offer TEXT;
CREATE INDEX dossier_origin ON dossier (procedure_code, submitted_at);
