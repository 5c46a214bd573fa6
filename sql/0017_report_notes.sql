-- What a report's table cannot say (why a territory team is not within its
-- band): kept apart from the rows, so every report's CSV stays a plain table.
ALTER TABLE reports ADD COLUMN notes text[] NOT NULL DEFAULT '{}';
