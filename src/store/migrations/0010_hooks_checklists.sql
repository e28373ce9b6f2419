-- After the dismissal (issue 16): outbound event hooks fed by a transactional outbox,
-- and offboarding checklists.
--
-- The outbox: every event, written by the operation that made the change inside its
-- own transaction, so an event exists exactly when its change committed. `uid` is the
-- event's stable id (the `webhook-id` of every delivery of it, redeliveries included);
-- `body` is the whole Standard Webhooks payload as sent, never changed. 128 random bits
-- make `uid` unique without an index, which would cost every change one more B-tree.
CREATE TABLE outbox_events (
    id    INTEGER PRIMARY KEY,
    uid   TEXT NOT NULL,
    type  TEXT NOT NULL,
    at    TEXT NOT NULL,
    body  TEXT NOT NULL
);
CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox_events
BEGIN SELECT RAISE(ABORT, 'outbox events never change'); END;
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox_events
BEGIN SELECT RAISE(ABORT, 'outbox events are never deleted'); END;

-- A receiver the administrator registered. The secret signs deliveries, so it is kept
-- as given (unlike an inbound webhook's code, which is only compared): the file is the
-- operator's, mode 0600. `events` is a comma list of event types, '' for all of them.
-- `cursor` is the last outbox event handled for this receiver: delivery goes on from
-- the next one, in order; a receiver registered later starts after the events already
-- there. `failing_since` is set when retries of its head event ran out; delivery to it
-- stops until it is enabled again, and then resumes with that same event.
CREATE TABLE hooks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    url           TEXT NOT NULL,
    events        TEXT NOT NULL DEFAULT '',
    secret        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status = 'active' OR status = 'disabled'),
    cursor        INTEGER NOT NULL DEFAULT 0,
    failing_since TEXT,
    failure       TEXT,
    created_by    INTEGER NOT NULL REFERENCES employees(id),
    created_at    TEXT NOT NULL
);

-- The delivery log: one row per receiver and event once it was tried, with its state,
-- how many attempts, the last answer and when the next attempt is due.
CREATE TABLE hook_deliveries (
    hook_id         INTEGER NOT NULL REFERENCES hooks(id),
    event_id        INTEGER NOT NULL REFERENCES outbox_events(id),
    state           TEXT NOT NULL CHECK (state = 'pending' OR state = 'delivered' OR state = 'failed'),
    attempts        INTEGER NOT NULL,
    first_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT NOT NULL,
    next_attempt_at TEXT,
    last_status     INTEGER,
    last_error      TEXT,
    PRIMARY KEY (hook_id, event_id)
) WITHOUT ROWID;

-- Checklist templates: steps with a title, an owner (a login, or a role resolved when
-- the checklist starts) and a due offset in days from the leaving date.
CREATE TABLE checklist_templates (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default = 0 OR is_default = 1),
    created_by  INTEGER NOT NULL REFERENCES employees(id),
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX checklist_templates_default ON checklist_templates(is_default) WHERE is_default = 1;

CREATE TABLE checklist_template_steps (
    template_id INTEGER NOT NULL REFERENCES checklist_templates(id),
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    owner_role  TEXT NOT NULL CHECK (owner_role = 'login' OR owner_role = 'department_head' OR owner_role = 'structure' OR owner_role = 'admins'),
    owner_id    INTEGER REFERENCES employees(id),
    due_days    INTEGER NOT NULL,
    PRIMARY KEY (template_id, position)
) WITHOUT ROWID;

-- A checklist started by a dismissal, in its transaction: a copy of the template's
-- steps, so a later change of the template changes no running checklist.
CREATE TABLE checklists (
    id           INTEGER PRIMARY KEY,
    employee_id  INTEGER NOT NULL REFERENCES employees(id),
    departure_id INTEGER REFERENCES departures(id),
    template     TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state = 'open' OR state = 'completed' OR state = 'canceled'),
    closed_at    TEXT
);
CREATE INDEX checklists_employee ON checklists(employee_id, id);

CREATE TABLE checklist_steps (
    checklist_id INTEGER NOT NULL REFERENCES checklists(id),
    position     INTEGER NOT NULL,
    title        TEXT NOT NULL,
    owner_role   TEXT NOT NULL CHECK (owner_role = 'login' OR owner_role = 'department_head' OR owner_role = 'structure' OR owner_role = 'admins'),
    owner_id     INTEGER REFERENCES employees(id),
    due_on       TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state = 'open' OR state = 'done' OR state = 'canceled'),
    done_by      INTEGER REFERENCES employees(id),
    done_at      TEXT,
    PRIMARY KEY (checklist_id, position)
) WITHOUT ROWID;
CREATE INDEX checklist_steps_open ON checklist_steps(state, due_on) WHERE state = 'open';

-- A scheduled dismissal keeps the checklist it will start: NULL for the company's
-- default template when it is applied, '' for none, else the template's name.
ALTER TABLE departures ADD COLUMN checklist TEXT;
