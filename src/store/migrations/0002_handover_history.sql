-- Who was responsible for a task before it was handed over (reassign, delegate): the
-- profile of someone who left keeps showing the open tasks they handed over, as tasks
-- they took part in (SPEC §4). One step back: a later handover records its own giver.
-- Adding a column rewrites nothing, and the index holds only handed-over tasks, so a
-- handover of 200,000 tasks costs one small index entry per task on top of the UPDATE.
-- No REFERENCES: the value is always copied from responsible_id (itself checked), and
-- employees are never deleted; a foreign key would add a lookup for every task moved.
ALTER TABLE tasks ADD COLUMN former_responsible_id INTEGER;
CREATE INDEX tasks_former ON tasks(former_responsible_id) WHERE former_responsible_id IS NOT NULL;
