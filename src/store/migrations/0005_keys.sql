-- SSH keys: each employee's public keys, by which sshd (through `offboard ssh
-- authorized-keys`) lets them in. One key belongs to one employee: its SHA256
-- fingerprint is unique, and the look-up sshd waits for is one probe of that index.
-- A removed key is deleted (the audit keeps its fingerprint), so it can be added again;
-- its ID is never given to another key (AUTOINCREMENT), since a session and the line
-- sshd was given name a key by its ID.
CREATE TABLE ssh_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    employee_id  INTEGER NOT NULL REFERENCES employees(id),
    algorithm    TEXT NOT NULL,
    key_data     TEXT NOT NULL,
    fingerprint  TEXT NOT NULL UNIQUE,
    comment      TEXT NOT NULL DEFAULT '',
    bits         INTEGER,
    added_at     TEXT NOT NULL,
    added_by     INTEGER NOT NULL REFERENCES employees(id)
);
CREATE INDEX ssh_keys_employee ON ssh_keys(employee_id, id);
