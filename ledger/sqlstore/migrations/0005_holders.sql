-- Who holds a ticket, without saying it in public. holder: the pseudonymous address the
-- ticket list and the journal show (ledger.HolderAddress of the contract, the selling key
-- and the sender, under the holder key in meta, which the store makes at its first open);
-- '' while available. sold_by: the actor ID of the key that sold the ticket ("key:7",
-- "admin"), which may release or reissue it by its sender; '' while available, and for
-- tickets sold before migration 0005 (the store fills their holder at open).
ALTER TABLE tickets ADD COLUMN holder TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN sold_by TEXT NOT NULL DEFAULT ''
