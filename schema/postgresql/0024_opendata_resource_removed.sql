-- 0024_opendata_resource_removed.sql - a resource removed from its dataset
-- (package_update/patch without it) says so in removed_at and keeps its
-- dataset id; its stored versions stay downloadable. Rows removed before
-- this migration carried the negated dataset id: they are turned into the
-- new form.
ALTER TABLE od_resource ADD COLUMN removed_at TEXT;
UPDATE od_resource SET removed_at = modified_at, dataset_id = -dataset_id WHERE dataset_id < 0;
