-- The gate copy's change log (gatecopy.go): one row each time a ticket changes in a way a
-- gate device must learn (sold, released, reissued, passed on, checked in, or a phone
-- registered for it), written by the triggers below in the writing transaction itself, so
-- no write path can forget it. seq comes from a sequence: concurrent writers may commit
-- out of its order, so a reader takes its cursor under the contract's lock held
-- exclusively (gatecopy.go), when no writer of the contract is half-way.
CREATE TABLE gate_changes (
    seq      BIGSERIAL PRIMARY KEY,
    contract TEXT NOT NULL,
    sale     BIGINT NOT NULL,
    idx      INTEGER NOT NULL
);
CREATE INDEX gate_changes_sale ON gate_changes (contract, sale, seq);
CREATE FUNCTION gate_changes_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO gate_changes (contract, sale, idx) VALUES (OLD.contract, OLD.sale, OLD.idx);
    ELSE
        INSERT INTO gate_changes (contract, sale, idx) VALUES (NEW.contract, NEW.sale, NEW.idx);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER gate_changes_ticket AFTER UPDATE ON tickets FOR EACH ROW
WHEN (NEW.owner IS DISTINCT FROM OLD.owner OR NEW.secret_digest <> OLD.secret_digest OR NEW.name_digest <> OLD.name_digest
    OR NEW.name_ct <> OLD.name_ct OR NEW.checked_in_at <> OLD.checked_in_at OR NEW.gate <> OLD.gate
    OR (NEW.format <> OLD.format AND NEW.owner IS NOT NULL))
EXECUTE FUNCTION gate_changes_log();
CREATE TRIGGER gate_changes_device AFTER INSERT OR UPDATE OR DELETE ON device_keys FOR EACH ROW
EXECUTE FUNCTION gate_changes_log()
