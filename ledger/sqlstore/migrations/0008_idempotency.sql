-- The answers of writes sent with an Idempotency-Key (ledger.Replays), per actor, for 24
-- hours. key_hash: HMAC-SHA256 of the actor and the key under a fixed label (neither the
-- key nor the answer's key can be had from it); request: HMAC-SHA256 of the request's
-- digest under a key derived from the Idempotency-Key; state: 'running' while the first
-- request runs, 'done' after; answer: the answer's headers and body, AES-256-GCM under a
-- key derived from the Idempotency-Key (base64 of nonce and ciphertext), '' while
-- running; created_at: unix nanoseconds of the claim.
CREATE TABLE idempotency (
    actor      TEXT NOT NULL,
    key_hash   TEXT NOT NULL,
    request    TEXT NOT NULL,
    state      TEXT NOT NULL,
    status     INTEGER NOT NULL DEFAULT 0,
    answer     TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (actor, key_hash)
);
CREATE INDEX idempotency_created ON idempotency (created_at)
