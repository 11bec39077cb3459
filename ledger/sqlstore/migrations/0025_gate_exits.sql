-- Exits and re-entry at the gate. tickets.exited_at is when the holder of an admitted
-- ticket last went out (unix nanoseconds; 0 while inside, or never admitted);
-- tickets.move_nonce the nonce of the ticket's last exit or re-entry, so that a retry of
-- it gets the same answer. checked_in_at and gate stay those of the first admission.
ALTER TABLE tickets ADD COLUMN exited_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN move_nonce TEXT NOT NULL DEFAULT ''
