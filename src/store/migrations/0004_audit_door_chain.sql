-- An honest, tamper-evident audit (issue 12). Each event records the door its actor
-- came through: 'local' (door_uid and door_user: the operating-system user, named from
-- the uid), 'ssh' (door_key and door_fingerprint: the key that signed in) or 'webhook'
-- (via_integration, which webhook calls always set); NULL for events written before
-- this version, shown as unknown. Webhook calls are known from via_integration, so
-- those old events get their door here.
ALTER TABLE audit_events ADD COLUMN door TEXT;
ALTER TABLE audit_events ADD COLUMN door_uid INTEGER;
ALTER TABLE audit_events ADD COLUMN door_user TEXT;
ALTER TABLE audit_events ADD COLUMN door_key INTEGER;
ALTER TABLE audit_events ADD COLUMN door_fingerprint TEXT;
-- The hash chain: `hash` is SHA-256 over the event's content and `prev_hash`, the hash
-- of the event before it (store::queries::audit::event_hash). The events already here
-- are chained by the program right after this script (store::chain_existing_events),
-- which is why the append-only trigger is dropped here: it puts it back when done.
ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;
DROP TRIGGER IF EXISTS audit_no_update;
UPDATE audit_events SET door = 'webhook' WHERE via_integration IS NOT NULL;
