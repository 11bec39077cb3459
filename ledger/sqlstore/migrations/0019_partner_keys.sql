-- The grants of partner keys (role partner) on the command API of seed 004: the highest
-- product the key may use, the DSNs (comma-separated), and its limits (0: the default).
CREATE TABLE partner_grants (
    key_id     BIGINT PRIMARY KEY REFERENCES api_keys (id),
    product    TEXT NOT NULL,
    dsns       TEXT NOT NULL,
    per_minute INTEGER NOT NULL DEFAULT 0,
    per_day    INTEGER NOT NULL DEFAULT 0
);
