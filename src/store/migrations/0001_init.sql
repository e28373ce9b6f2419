-- offboard schema, version 1.
-- CHECKs spell out `x = 'a' OR x = 'b'`: SQLite builds a temporary index for every
-- `x IN (...)` it checks, which made bulk inserts five times slower.
-- Nothing here is ever deleted by the program: employees are dismissed, not removed,
-- and work items only change hands.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE departments (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES departments(id),
    head_id   INTEGER REFERENCES employees(id)
);

CREATE TABLE employees (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    email         TEXT NOT NULL,
    position      TEXT NOT NULL DEFAULT '',
    department_id INTEGER REFERENCES departments(id),
    hired_on      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status = 'active' OR status = 'dismissed'),
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin = 0 OR is_admin = 1),
    kind          TEXT NOT NULL CHECK (kind = 'employee' OR kind = 'system'),
    -- for a system user: the dismissed employee whose integrations it keeps alive
    system_for    INTEGER UNIQUE REFERENCES employees(id),
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX employees_email ON employees(email COLLATE NOCASE) WHERE kind = 'employee';
-- the employee list, in name order, and a last-name prefix is a range of it
CREATE INDEX employees_list ON employees(kind, status, last_name COLLATE NOCASE, first_name COLLATE NOCASE, id);
-- the REST user list, in ID order
CREATE INDEX employees_by_id ON employees(kind, status, id);
CREATE INDEX employees_admins ON employees(status, kind) WHERE is_admin = 1;
CREATE INDEX employees_department ON employees(department_id);

-- Search over name, login and email: trigrams find a fragment anywhere, fast.
CREATE VIRTUAL TABLE employee_search USING fts5(name, login, email, tokenize = 'trigram remove_diacritics 1');
CREATE TRIGGER employees_search_insert AFTER INSERT ON employees WHEN new.kind = 'employee'
BEGIN
    INSERT INTO employee_search (rowid, name, login, email)
    VALUES (new.id, new.first_name || ' ' || new.last_name, new.login, new.email);
END;
CREATE TRIGGER employees_search_update AFTER UPDATE OF first_name, last_name, login, email ON employees
WHEN new.kind = 'employee'
BEGIN
    UPDATE employee_search SET name = new.first_name || ' ' || new.last_name, login = new.login, email = new.email
    WHERE rowid = new.id;
END;

CREATE TABLE permissions (
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    permission  TEXT NOT NULL CHECK (permission = 'structure'),
    granted_by  INTEGER REFERENCES employees(id),
    granted_at  TEXT NOT NULL,
    PRIMARY KEY (employee_id, permission)
) WITHOUT ROWID;

CREATE TABLE departures (
    id           INTEGER PRIMARY KEY,
    employee_id  INTEGER NOT NULL REFERENCES employees(id),
    effective_at TEXT NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES employees(id),
    recorded_at  TEXT NOT NULL,
    reason       TEXT CHECK (reason = 'resigned' OR reason = 'terminated' OR reason = 'end_of_contract' OR reason = 'retired' OR reason = 'other'),
    note         TEXT,
    state        TEXT NOT NULL CHECK (state = 'pending' OR state = 'done' OR state = 'failed' OR state = 'canceled'),
    integrations TEXT CHECK (integrations = 'keep' OR integrations = 'disable'),
    failure      TEXT,
    rehired_at   TEXT,
    rehired_by   INTEGER REFERENCES employees(id)
);
CREATE INDEX departures_employee ON departures(employee_id, id);
CREATE INDEX departures_pending ON departures(state, effective_at) WHERE state = 'pending';

CREATE TABLE integrations (
    id               INTEGER PRIMARY KEY,
    title            TEXT NOT NULL,
    owner_id         INTEGER NOT NULL REFERENCES employees(id),
    scopes           TEXT NOT NULL,
    -- the secret is kept only as salted SHA-256; url_user_id is the user id that the
    -- URL carrying this secret names, valid for as long as the secret is
    secret_salt      TEXT NOT NULL,
    secret_hash      TEXT NOT NULL,
    url_user_id      INTEGER NOT NULL REFERENCES employees(id),
    status           TEXT NOT NULL CHECK (status = 'active' OR status = 'disabled'),
    created_by       INTEGER NOT NULL REFERENCES employees(id),
    created_at       TEXT NOT NULL,
    edited_by        INTEGER REFERENCES employees(id),
    edited_at        TEXT,
    transferred_from INTEGER REFERENCES employees(id)
);
CREATE INDEX integrations_owner ON integrations(owner_id, status);
CREATE INDEX integrations_url_user ON integrations(url_user_id);
CREATE INDEX integrations_transferred ON integrations(transferred_from);

CREATE TABLE tasks (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status = 'open' OR status = 'in_progress' OR status = 'done'),
    creator_id     INTEGER NOT NULL REFERENCES employees(id),
    responsible_id INTEGER NOT NULL REFERENCES employees(id),
    created_at     TEXT NOT NULL
);
-- within one (responsible, status) the index keeps rowid order: newest first per status
CREATE INDEX tasks_responsible ON tasks(responsible_id, status);
CREATE INDEX tasks_creator ON tasks(creator_id);

CREATE TABLE task_participants (
    task_id     INTEGER NOT NULL REFERENCES tasks(id),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    PRIMARY KEY (task_id, employee_id)
) WITHOUT ROWID;
CREATE INDEX task_participants_employee ON task_participants(employee_id, task_id);

CREATE TABLE crm_items (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind = 'lead' OR kind = 'deal' OR kind = 'contact' OR kind = 'company'),
    title       TEXT NOT NULL,
    stage       TEXT NOT NULL,
    assigned_id INTEGER NOT NULL REFERENCES employees(id),
    created_at  TEXT NOT NULL
);
-- covering for "what is still open": the stage is in the index
CREATE INDEX crm_items_assigned ON crm_items(assigned_id, stage);

CREATE TABLE files (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    folder     TEXT NOT NULL,
    owner_id   INTEGER NOT NULL REFERENCES employees(id),
    created_by INTEGER NOT NULL REFERENCES employees(id),
    created_at TEXT NOT NULL
);
CREATE INDEX files_owner ON files(owner_id);
CREATE INDEX files_created_by ON files(created_by);

CREATE TABLE mailboxes (
    id       INTEGER PRIMARY KEY,
    address  TEXT NOT NULL UNIQUE COLLATE NOCASE,
    owner_id INTEGER NOT NULL REFERENCES employees(id)
);
CREATE INDEX mailboxes_owner ON mailboxes(owner_id);

CREATE TABLE chats (
    id       INTEGER PRIMARY KEY,
    kind     TEXT NOT NULL CHECK (kind = 'private' OR kind = 'group'),
    title    TEXT,
    -- a private chat is between member_a < member_b
    member_a INTEGER REFERENCES employees(id),
    member_b INTEGER REFERENCES employees(id)
);
CREATE UNIQUE INDEX chats_private ON chats(member_a, member_b) WHERE kind = 'private';

CREATE TABLE chat_members (
    chat_id     INTEGER NOT NULL REFERENCES chats(id),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    PRIMARY KEY (chat_id, employee_id)
) WITHOUT ROWID;
CREATE INDEX chat_members_employee ON chat_members(employee_id, chat_id);

CREATE TABLE messages (
    id        INTEGER PRIMARY KEY,
    chat_id   INTEGER NOT NULL REFERENCES chats(id),
    author_id INTEGER NOT NULL REFERENCES employees(id),
    body      TEXT NOT NULL,
    sent_at   TEXT NOT NULL
);
CREATE INDEX messages_chat ON messages(chat_id, sent_at);
CREATE INDEX messages_author ON messages(author_id);

CREATE TABLE meetings (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    organizer_id INTEGER NOT NULL REFERENCES employees(id)
);
CREATE INDEX meetings_organizer ON meetings(organizer_id);

CREATE TABLE meeting_attendees (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    PRIMARY KEY (meeting_id, employee_id)
) WITHOUT ROWID;
CREATE INDEX meeting_attendees_employee ON meeting_attendees(employee_id, meeting_id);

CREATE TABLE feed_posts (
    id        INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES employees(id),
    body      TEXT NOT NULL,
    posted_at TEXT NOT NULL
);
CREATE INDEX feed_posts_author ON feed_posts(author_id, posted_at);

CREATE TABLE groups (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE group_members (
    group_id    INTEGER NOT NULL REFERENCES groups(id),
    employee_id INTEGER NOT NULL REFERENCES employees(id),
    PRIMARY KEY (group_id, employee_id)
) WITHOUT ROWID;
CREATE INDEX group_members_employee ON group_members(employee_id, group_id);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER NOT NULL REFERENCES employees(id),
    action      TEXT NOT NULL,
    target_id   INTEGER REFERENCES employees(id),
    details     TEXT NOT NULL DEFAULT '{}',
    -- set when the change came through a webhook
    via_integration INTEGER REFERENCES integrations(id)
);
CREATE INDEX audit_events_target ON audit_events(target_id);
CREATE INDEX audit_events_at ON audit_events(at, id);

-- Nothing is deleted: the database itself refuses it.
CREATE TRIGGER employees_no_delete BEFORE DELETE ON employees
BEGIN SELECT RAISE(ABORT, 'employees are never deleted'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER tasks_no_delete BEFORE DELETE ON tasks
BEGIN SELECT RAISE(ABORT, 'tasks are never deleted'); END;
CREATE TRIGGER crm_no_delete BEFORE DELETE ON crm_items
BEGIN SELECT RAISE(ABORT, 'CRM items are never deleted'); END;
CREATE TRIGGER files_no_delete BEFORE DELETE ON files
BEGIN SELECT RAISE(ABORT, 'files are never deleted'); END;
CREATE TRIGGER mailboxes_no_delete BEFORE DELETE ON mailboxes
BEGIN SELECT RAISE(ABORT, 'mailboxes are never deleted'); END;
CREATE TRIGGER messages_no_delete BEFORE DELETE ON messages
BEGIN SELECT RAISE(ABORT, 'messages are never deleted'); END;
CREATE TRIGGER integrations_no_delete BEFORE DELETE ON integrations
BEGIN SELECT RAISE(ABORT, 'integrations are never deleted'); END;
