-- The gate copy's change log (gatecopy.go): one row each time a ticket changes in a way a
-- gate device must learn (sold, released, reissued, passed on, checked in, or a phone
-- registered for it), written by the triggers below in the writing transaction itself, so
-- no write path can forget it. seq numbers the rows in commit order (SQLite has one
-- writer); a device's cursor is the last seq it has seen.
CREATE TABLE gate_changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    contract TEXT NOT NULL,
    sale     BIGINT NOT NULL,
    idx      INTEGER NOT NULL
);
CREATE INDEX gate_changes_sale ON gate_changes (contract, sale, seq);
CREATE TRIGGER gate_changes_ticket AFTER UPDATE ON tickets
WHEN NEW.owner IS NOT OLD.owner OR NEW.secret_digest <> OLD.secret_digest OR NEW.name_digest <> OLD.name_digest
    OR NEW.name_ct <> OLD.name_ct OR NEW.checked_in_at <> OLD.checked_in_at OR NEW.gate <> OLD.gate
    OR (NEW.format <> OLD.format AND NEW.owner IS NOT NULL)
BEGIN
    INSERT INTO gate_changes (contract, sale, idx) VALUES (NEW.contract, NEW.sale, NEW.idx);
END;
CREATE TRIGGER gate_changes_device_added AFTER INSERT ON device_keys
BEGIN
    INSERT INTO gate_changes (contract, sale, idx) VALUES (NEW.contract, NEW.sale, NEW.idx);
END;
CREATE TRIGGER gate_changes_device_changed AFTER UPDATE ON device_keys
BEGIN
    INSERT INTO gate_changes (contract, sale, idx) VALUES (NEW.contract, NEW.sale, NEW.idx);
END;
CREATE TRIGGER gate_changes_device_removed AFTER DELETE ON device_keys
BEGIN
    INSERT INTO gate_changes (contract, sale, idx) VALUES (OLD.contract, OLD.sale, OLD.idx);
END
