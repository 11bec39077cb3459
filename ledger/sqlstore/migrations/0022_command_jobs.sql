-- The jobs of the command API's asynchronous polling (seed 004, ledger.CommandJobs): a
-- command not done within the deadline, run by the server that accepted it (runner) while
-- it renews its lease (lease_until), and polled through any server of the database with
-- the cookies CID (id) and QTKN (the token, never stored). token_hash: hex SHA-256 of the
-- token; key_id: the partner key that started it (only it may poll); body_mark: HMAC-SHA256
-- of the SHA-256 of the request's body under a key derived from the token; state: 'running'
-- or 'done'; status and answer: the command's HTTP status and its answer, AES-256-GCM
-- under a key derived from the token (base64 of nonce and ciphertext), '' while running;
-- times in unix nanoseconds. Rows past expires_at are deleted.
CREATE TABLE command_jobs (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL,
    key_id      BIGINT NOT NULL,
    body_mark   TEXT NOT NULL,
    state       TEXT NOT NULL,
    status      INTEGER NOT NULL DEFAULT 0,
    answer      TEXT NOT NULL DEFAULT '',
    runner      TEXT NOT NULL,
    lease_until BIGINT NOT NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX command_jobs_expires ON command_jobs (expires_at)
