-- One way to search people, the same in the list and in the pickers: every word typed
-- is the start of a word of the name, the login, the e-mail's local part, the
-- department or the position. Case and accents do not matter (unicode61 folds é, ü, ñ;
-- the program's folded name key adds ø, ß and the like spelled plainly). Adding a
-- letter or a word only narrows the result. The prefix indexes make a query of one,
-- two or three letters one read; the status is a token too, so a count of a broad
-- query never joins 100,000 rows.
DROP TRIGGER IF EXISTS employees_search_insert;
DROP TRIGGER IF EXISTS employees_search_update;
DROP TABLE IF EXISTS employee_search;

CREATE VIRTUAL TABLE employee_words USING fts5(
    words, state,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

INSERT INTO employee_words (rowid, words, state)
SELECT e.id,
       e.first_name || ' ' || e.last_name || ' ' || e.name_key || ' ' || e.login || ' ' ||
       substr(e.email, 1, instr(e.email || '@', '@') - 1) || ' ' ||
       coalesce(d.name, '') || ' ' || e.position,
       'is' || e.status
FROM employees e LEFT JOIN departments d ON d.id = e.department_id
WHERE e.kind = 'employee';

CREATE TRIGGER employee_words_insert AFTER INSERT ON employees WHEN new.kind = 'employee'
BEGIN
    INSERT INTO employee_words (rowid, words, state)
    VALUES (new.id,
            new.first_name || ' ' || new.last_name || ' ' || new.name_key || ' ' || new.login || ' ' ||
            substr(new.email, 1, instr(new.email || '@', '@') - 1) || ' ' ||
            coalesce((SELECT name FROM departments WHERE id = new.department_id), '') || ' ' ||
            new.position,
            'is' || new.status);
END;

CREATE TRIGGER employee_words_update
AFTER UPDATE OF first_name, last_name, name_key, login, email, position, department_id, status ON employees
WHEN new.kind = 'employee'
BEGIN
    DELETE FROM employee_words WHERE rowid = new.id;
    INSERT INTO employee_words (rowid, words, state)
    VALUES (new.id,
            new.first_name || ' ' || new.last_name || ' ' || new.name_key || ' ' || new.login || ' ' ||
            substr(new.email, 1, instr(new.email || '@', '@') - 1) || ' ' ||
            coalesce((SELECT name FROM departments WHERE id = new.department_id), '') || ' ' ||
            new.position,
            'is' || new.status);
END;

CREATE TRIGGER employee_words_department AFTER UPDATE OF name ON departments
BEGIN
    UPDATE employees SET department_id = department_id WHERE department_id = new.id;
END;

-- A profile's Drive, newest first by when each file was made, read only as deep as
-- the page on each side (owned, created).
DROP INDEX IF EXISTS files_owner;
DROP INDEX IF EXISTS files_created_by;
CREATE INDEX files_owner ON files(owner_id, created_at, id);
CREATE INDEX files_created_by ON files(created_by, created_at, id);

-- A profile's CRM section, newest first, a page at a time.
CREATE INDEX crm_items_assigned_time ON crm_items(assigned_id, created_at, id);

-- The employee list by position (then name), and one department's employees by name.
CREATE INDEX employees_by_position ON employees(kind, status, position COLLATE NOCASE, name_key, id);
CREATE INDEX employees_by_department ON employees(kind, status, department_id, name_key, id);

-- The planner needs statistics for the indexes just made: without them it takes the
-- new ones for the list's order and pages slowly. A company built by `demo` is
-- analysed when built; one upgraded in place is analysed here (sampled, so that a
-- large company is not read whole).
PRAGMA analysis_limit = 1000;
ANALYZE employees;
ANALYZE files;
ANALYZE crm_items;
