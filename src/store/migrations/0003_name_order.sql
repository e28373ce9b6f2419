-- Names in the order people expect and found the way people type them: a key of the
-- last name, then the first, folded by the program (`offboard_name_key`: lower case,
-- accents and letters like ø or ß spelled plainly), so that "Álvarez" files under A
-- next to "Alvarado" instead of after Z, and "al" finds both. The list pages on it.
ALTER TABLE employees ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE employees SET name_key = offboard_name_key(first_name, last_name);
DROP INDEX employees_list;
CREATE INDEX employees_list ON employees(kind, status, name_key, id);
