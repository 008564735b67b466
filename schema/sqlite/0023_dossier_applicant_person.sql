-- 0023_dossier_applicant_person.sql - find the dossiers of a person by
-- personal number (dossier_agency_person_dossier, the legal basis of an
-- exchange read). Owned by the dossier module.
CREATE INDEX dossier_applicant_person ON dossier (applicant_person_id);
