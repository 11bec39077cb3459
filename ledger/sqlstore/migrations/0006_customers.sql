-- The shop's customers (ledger.Customer): their personal data, which lives only here,
-- never in the journal (it records customer_created, customer_changed and
-- customer_erased by id) nor on the public ticket list. id: random, below 2^53, so a
-- count of customers does not show and JavaScript reads it whole. created_by: the actor
-- ID of the key that created the customer. email_key and name_key: the e-mail address
-- and the names lowercased by the store, for searching alike on both engines. Times in
-- unix nanoseconds. erased: 1 once the personal columns were blanked (EraseCustomer).
CREATE TABLE customers (
    id          BIGINT PRIMARY KEY,
    created_by  TEXT NOT NULL,
    salutation  TEXT NOT NULL DEFAULT '',
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    company     TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    locale      TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    address1    TEXT NOT NULL DEFAULT '',
    address2    TEXT NOT NULL DEFAULT '',
    zip         TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    email_key   TEXT NOT NULL DEFAULT '',
    name_key    TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    changed_at  BIGINT NOT NULL,
    erased      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX customers_email ON customers (email_key);
CREATE INDEX customers_creator ON customers (created_by, id)
