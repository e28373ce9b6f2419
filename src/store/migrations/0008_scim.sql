-- SCIM 2.0 (issue 15). The bearer tokens of identity providers' SCIM clients, kept
-- only as the SHA-256 of the token; a revoked token is deleted (the audit keeps its
-- name), and its ID is never given to another (AUTOINCREMENT), as audit events name it.
CREATE TABLE scim_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES employees(id)
);

-- What SCIM keeps of an employee beyond offboard's own fields: the userName and
-- externalId an identity provider gave (each unique, so a retried create cannot make a
-- second employee), the enterprise employeeNumber, when SCIM deleted them (they are
-- gone for SCIM, and nothing is deleted), and a version and a moment of the last
-- change, which the trigger below keeps for every change of the employee, whoever
-- made it. An employee without a row was never touched by SCIM: their userName is
-- their login, their last change their creation.
CREATE TABLE scim_users (
    employee_id      INTEGER PRIMARY KEY REFERENCES employees(id),
    user_name        TEXT COLLATE NOCASE UNIQUE,
    external_id      TEXT UNIQUE,
    employee_number  TEXT NOT NULL DEFAULT '',
    removed_at       TEXT,
    version          INTEGER NOT NULL DEFAULT 0,
    modified_at      TEXT
);

CREATE TRIGGER scim_users_touch AFTER UPDATE ON employees
BEGIN
    INSERT INTO scim_users (employee_id, version, modified_at)
        VALUES (NEW.id, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
        ON CONFLICT (employee_id) DO UPDATE
        SET version = version + 1, modified_at = excluded.modified_at;
END;
