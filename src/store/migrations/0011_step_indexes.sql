-- The TUI's Offboarding pane lists the steps ticked done, the most recently ticked
-- first, so that one ticked by mistake can be reopened: this index lets a page of them
-- be read in that order instead of sorting every step of every checklist.
CREATE INDEX checklist_steps_done ON checklist_steps(done_at) WHERE state = 'done';

-- Someone without company-structure access sees only the open steps they own: this
-- index finds them, in due order, without reading everyone else's.
CREATE INDEX checklist_steps_owner_open ON checklist_steps(owner_id, due_on) WHERE state = 'open';
