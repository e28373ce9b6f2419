-- Days and moments are kept as text that compares as dates only while every year has
-- four digits. Before version 7 a typed date beyond 9999 was written with a sign
-- ('+10000-01-01T00:00:00Z'), which sorts before '2026-…': such a scheduled dismissal
-- was found due at once and applied "as of today". Input now refuses those dates; this
-- rewrites the rows they left, so that every date in the file compares as a date again.

-- A departure dated with a sign was applied, or is pending, from the moment it was
-- recorded: that moment is its real date. A pending one has not taken effect: it fails,
-- saying why, and the employee stays as they are.
UPDATE departures
SET failure = CASE WHEN state = 'pending'
                   THEN 'its date ' || substr(effective_at, 1, instr(effective_at, 'T') - 1) || ' was out of range'
                   ELSE failure END,
    state = CASE WHEN state = 'pending' THEN 'failed' ELSE state END,
    effective_at = recorded_at
WHERE effective_at GLOB '[+-]*';

-- A hire date with a sign is no date anyone was hired on: the day the employee was
-- recorded stands in for it.
UPDATE employees
SET hired_on = substr(created_at, 1, 10)
WHERE hired_on GLOB '[+-]*';
