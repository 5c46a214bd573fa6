-- The contacts stage numbers the run's new golden contacts with one UPDATE of
-- `resolve_contacts` (`ContactQueries.numberNew`), every row of a first run.
-- With full pages each new row version went to another page and into all
-- three indexes; with room left on the page it stays there, out of the
-- indexes (a HOT update: `golden_contact_id` is in none of them). EXPLAIN
-- ANALYZE at 200k accounts (284,207 rows): 11.0 s, 5.5 s with this (issue 17).
-- The table holds only the running run's rows.
ALTER TABLE resolve_contacts SET (fillfactor = 50);
