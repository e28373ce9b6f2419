-- The portal's personal fields that its client libraries set through user.update and
-- read back from user.get: kept as the portal types them ('' when not given).
ALTER TABLE employees ADD COLUMN personal_gender TEXT NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN personal_profession TEXT NOT NULL DEFAULT '';
ALTER TABLE employees ADD COLUMN personal_birthday TEXT;
