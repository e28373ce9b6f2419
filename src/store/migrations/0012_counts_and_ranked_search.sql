-- Figures that stay flat as a company grows (issue 17).
--
-- 1. The search index hands out its matches in list order. An FTS5 table returns rows
--    in the order of their row ids, so each employee's row id is now their name rank
--    (`name_rank`: each distinct name key's place among the keys, with gaps, from
--    `name_ranks`) above their id: `(name_rank << 28) | id`. A page of a broad search
--    then reads its own few dozen matches instead of every match of a letter.
-- 2. Counts kept beside the rows: employees by status and department, for the list's
--    total and the dismissed it hides (kept by triggers: employees change one at a
--    time), and each employee's tasks, open CRM items, files and mailboxes, for the
--    profile (kept by the program's reassign statements, the only ones that move
--    work, and recounted after a bulk load: a trigger per row would make the reassign
--    of two million tasks half as slow again).

ALTER TABLE employees ADD COLUMN name_rank INTEGER NOT NULL DEFAULT 0;

-- Every name key has a rank: the keys there are now, spread evenly over 35 bits in
-- their order; a new one is given a rank between its neighbours' by the program
-- (`store::queries::rank_for`).
CREATE TABLE name_ranks (
    name_key TEXT PRIMARY KEY,
    rank     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX name_ranks_by_rank ON name_ranks(rank, name_key);

INSERT INTO name_ranks (name_key, rank)
SELECT name_key,
       (row_number() OVER (ORDER BY name_key)) *
       (34359738368 / ((SELECT count(DISTINCT name_key) FROM employees) + 1))
FROM (SELECT DISTINCT name_key FROM employees);

-- Filling the new column is not a change SCIM clients should see.
DROP TRIGGER scim_users_touch;
UPDATE employees SET name_rank = (SELECT rank FROM name_ranks r WHERE r.name_key = employees.name_key);
-- A new rank alone (ranks spread again after an import) is no change of the user.
CREATE TRIGGER scim_users_touch AFTER UPDATE ON employees
WHEN NOT (old.name_key IS new.name_key AND old.name_rank IS NOT new.name_rank)
BEGIN
    INSERT INTO scim_users (employee_id, version, modified_at)
        VALUES (NEW.id, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        ON CONFLICT (employee_id) DO UPDATE
        SET version = version + 1, modified_at = excluded.modified_at;
END;

DROP TRIGGER employee_words_insert;
DROP TRIGGER employee_words_update;
DROP TABLE employee_words;

CREATE VIRTUAL TABLE employee_words USING fts5(
    words, state,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);

INSERT INTO employee_words (rowid, words, state)
SELECT (e.name_rank << 28) | e.id,
       e.first_name || ' ' || e.last_name || ' ' || e.name_key || ' ' || e.login || ' ' ||
       substr(e.email, 1, instr(e.email || '@', '@') - 1) || ' ' ||
       coalesce(d.name, '') || ' ' || e.position,
       'is' || e.status
FROM employees e LEFT JOIN departments d ON d.id = e.department_id
WHERE e.kind = 'employee'
-- in row-id order: FTS5 writes out what it holds whenever a row id comes below the last
ORDER BY 1;

CREATE TRIGGER employee_words_insert AFTER INSERT ON employees WHEN new.kind = 'employee'
BEGIN
    INSERT INTO employee_words (rowid, words, state)
    VALUES ((new.name_rank << 28) | new.id,
            new.first_name || ' ' || new.last_name || ' ' || new.name_key || ' ' || new.login || ' ' ||
            substr(new.email, 1, instr(new.email || '@', '@') - 1) || ' ' ||
            coalesce((SELECT name FROM departments WHERE id = new.department_id), '') || ' ' ||
            new.position,
            'is' || new.status);
END;

CREATE TRIGGER employee_words_update
AFTER UPDATE OF first_name, last_name, name_key, name_rank, login, email, position, department_id, status
ON employees
WHEN new.kind = 'employee'
BEGIN
    DELETE FROM employee_words WHERE rowid = (old.name_rank << 28) | old.id;
    INSERT INTO employee_words (rowid, words, state)
    VALUES ((new.name_rank << 28) | new.id,
            new.first_name || ' ' || new.last_name || ' ' || new.name_key || ' ' || new.login || ' ' ||
            substr(new.email, 1, instr(new.email || '@', '@') - 1) || ' ' ||
            coalesce((SELECT name FROM departments WHERE id = new.department_id), '') || ' ' ||
            new.position,
            'is' || new.status);
END;

CREATE TABLE employee_counts (
    status        TEXT NOT NULL,
    department_id INTEGER NOT NULL,  -- 0: no department
    n             INTEGER NOT NULL,
    PRIMARY KEY (status, department_id)
) WITHOUT ROWID;

INSERT INTO employee_counts (status, department_id, n)
SELECT status, coalesce(department_id, 0), count(*) FROM employees
WHERE kind = 'employee' GROUP BY 1, 2;

CREATE TRIGGER employee_counts_insert AFTER INSERT ON employees WHEN new.kind = 'employee'
BEGIN
    INSERT INTO employee_counts (status, department_id, n)
        VALUES (new.status, coalesce(new.department_id, 0), 1)
        ON CONFLICT (status, department_id) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER employee_counts_update AFTER UPDATE OF status, department_id, kind ON employees
WHEN old.status IS NOT new.status OR old.department_id IS NOT new.department_id
     OR old.kind IS NOT new.kind
BEGIN
    UPDATE employee_counts SET n = n - 1
        WHERE old.kind = 'employee' AND status = old.status
          AND department_id = coalesce(old.department_id, 0);
    INSERT INTO employee_counts (status, department_id, n)
        SELECT new.status, coalesce(new.department_id, 0), 1 WHERE new.kind = 'employee'
        ON CONFLICT (status, department_id) DO UPDATE SET n = n + 1;
END;

CREATE TABLE work_counts (
    employee_id INTEGER PRIMARY KEY REFERENCES employees(id),
    responsible INTEGER NOT NULL DEFAULT 0,  -- tasks they are responsible for, any state
    done        INTEGER NOT NULL DEFAULT 0,  -- of those, done
    crm_open    INTEGER NOT NULL DEFAULT 0,  -- CRM items assigned to them, not closed
    files       INTEGER NOT NULL DEFAULT 0,
    mailboxes   INTEGER NOT NULL DEFAULT 0
);

INSERT INTO work_counts (employee_id, responsible, done, crm_open, files, mailboxes)
SELECT who, sum(r), sum(d), sum(c), sum(f), sum(m) FROM (
    SELECT responsible_id AS who, count(*) AS r, sum(status = 'done') AS d, 0 AS c, 0 AS f, 0 AS m
        FROM tasks GROUP BY 1
    UNION ALL
    SELECT assigned_id, 0, 0, count(*), 0, 0 FROM crm_items
        WHERE stage NOT IN ('WON', 'LOSE', 'CONVERTED', 'JUNK') GROUP BY 1
    UNION ALL
    SELECT owner_id, 0, 0, 0, count(*), 0 FROM files GROUP BY 1
    UNION ALL
    SELECT owner_id, 0, 0, 0, 0, count(*) FROM mailboxes GROUP BY 1
) WHERE who IS NOT NULL GROUP BY who;
