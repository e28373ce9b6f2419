-- The TUI's Offboarding pane lists the steps ticked done, the most recently ticked
-- first, so that one ticked by mistake can be reopened: this index lets a page of them
-- be read in that order instead of sorting every step of every checklist.
CREATE INDEX checklist_steps_done ON checklist_steps(done_at) WHERE state = 'done';
