-- Who was responsible for a task before it was handed over (reassign, delegate): the
-- profile of someone who left keeps showing the open tasks they handed over, as tasks
-- they took part in (SPEC §4). One step back: a later handover records its own giver.
-- Adding a column rewrites nothing, and the index holds only handed-over tasks, so a
-- handover of 200,000 tasks costs one small index entry per task on top of the UPDATE.
ALTER TABLE tasks ADD COLUMN former_responsible_id INTEGER REFERENCES employees(id);
CREATE INDEX tasks_former ON tasks(former_responsible_id) WHERE former_responsible_id IS NOT NULL;
