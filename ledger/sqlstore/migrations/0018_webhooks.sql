-- Webhooks: the endpoints organizers register (owner: the registering key's actor ID;
-- events: the event names, comma-separated; secret: the HMAC key that signs deliveries,
-- which signing needs itself, see the README), the deliveries queued for them from the
-- journal (one per endpoint and event key; data: the event's JSON; next_at, lease_until
-- in unix nanoseconds; lease: the sender holding it), each delivery's attempts, and the
-- cursor up to which the journal has been followed: every transaction at a height below
-- cursor height, and those at that height up to seq.
CREATE TABLE webhooks (
    id         BIGINT PRIMARY KEY,
    owner      TEXT NOT NULL,
    url        TEXT NOT NULL,
    events     TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE webhook_deliveries (
    id          BIGINT PRIMARY KEY,
    webhook     BIGINT NOT NULL,
    event_key   TEXT NOT NULL,
    event       TEXT NOT NULL,
    tx_hash     TEXT NOT NULL,
    tx_time     BIGINT NOT NULL,
    data        TEXT NOT NULL,
    state       TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     BIGINT NOT NULL,
    lease       TEXT NOT NULL DEFAULT '',
    lease_until BIGINT NOT NULL DEFAULT 0,
    UNIQUE (webhook, event_key)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_at);
CREATE INDEX webhook_deliveries_lease ON webhook_deliveries (lease);
CREATE TABLE webhook_attempts (
    delivery    BIGINT NOT NULL,
    number      INTEGER NOT NULL,
    at          BIGINT NOT NULL,
    duration_ns BIGINT NOT NULL,
    status      INTEGER NOT NULL,
    error       TEXT NOT NULL,
    PRIMARY KEY (delivery, number)
);
CREATE TABLE webhook_cursor (
    id     INTEGER PRIMARY KEY,
    height BIGINT NOT NULL,
    seq    BIGINT NOT NULL
);
INSERT INTO webhook_cursor (id, height, seq) VALUES (1, 0, 0)
