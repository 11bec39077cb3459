-- The mail queue (ledger.MailSpool, mailqueue.go): one row per mail key. sealed: the
-- message, AES-256-GCM under a key derived from the delivery key, which is kept outside the
-- database (nonce, then ciphertext); emptied once sent. state: queued, sent or failed;
-- due_at: unix nanoseconds of the next attempt; lease_until, lease: the claim of a sender
-- (0 and '' when none); tried_at, sent_at: the last attempt and the hand-over (0: none).
CREATE TABLE mail_queue (
    id          INTEGER PRIMARY KEY,
    mail_key    TEXT NOT NULL UNIQUE,
    recipient   TEXT NOT NULL,
    sealed      BLOB,
    message_id  TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    queued_at   BIGINT NOT NULL,
    due_at      BIGINT NOT NULL,
    tried_at    BIGINT NOT NULL DEFAULT 0,
    sent_at     BIGINT NOT NULL DEFAULT 0,
    lease_until BIGINT NOT NULL DEFAULT 0,
    lease       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_queue_due ON mail_queue (state, due_at)
