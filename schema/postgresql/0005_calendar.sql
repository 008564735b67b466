-- PostgreSQL copy of schema/sqlite/0005_calendar.sql: same tables and columns.
-- 0005_calendar: administrator overrides of the working-day calendar
-- (src/calendar). The statutory rules (weekends, public holidays, lunar
-- holidays, compensatory days) are computed, not stored; a row here beats
-- them for its day: kind 'off' declares a day off, 'work' a make-up
-- working day.
CREATE TABLE calendar_day (
	day TEXT PRIMARY KEY, -- 'YYYY-MM-DD' (Vietnam civil day)
	kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
	reason_vi TEXT NOT NULL,
	reason_en TEXT NOT NULL DEFAULT '',
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL -- 'YYYY-MM-DDTHH:MM:SSZ'
);
