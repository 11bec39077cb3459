-- The calls of partner keys on the command API of seed 004, counted against their
-- limits (sqlstore.Calls): one row a key, with the minute and the day being counted
-- (minutes and days since 1970 in UTC), the calls allowed in each, and those refused.
-- A row of an older minute or day counts as zero for the current one.
CREATE TABLE partner_calls (
    key_id         BIGINT PRIMARY KEY REFERENCES api_keys (id),
    minute         BIGINT NOT NULL,
    minute_calls   BIGINT NOT NULL,
    minute_refused BIGINT NOT NULL,
    day            BIGINT NOT NULL,
    day_calls      BIGINT NOT NULL,
    day_refused    BIGINT NOT NULL
);
