-- 0017_dossier_document_index.sql - which dossiers include a document
-- (dossier_document_dossiers, asked by the search over scanned text).
-- Owned by the dossier module.
CREATE INDEX dossier_component_document ON dossier_component (document_id);
