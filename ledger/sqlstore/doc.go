// Package sqlstore is the ledger's SQL storage over SQLite (an embedded file, the
// default) or PostgreSQL (several servers sharing one database), chosen by what Open is
// given: a file path, or a postgres:// URL.
//
// The store is split by aggregate. Open returns a Store that owns the database handle
// (db.go: the pools, the dialect, the clock, the write path) and the aggregate stores that
// share it, one per side of the ledger:
//
//   - Contracts (contracts.go, standing.go, ticketlist.go, sales.go, owner.go): contracts,
//     their standing (general-admission) sections, rules, owners, sales and ticket lists;
//     ledger.Contracts and ledger.TicketPager.
//   - Selling (selling.go, reissue.go, holders.go, pipeline*.go): reservations, releases
//     and reissues under pseudonymous holders; ledger.Seller.
//   - Bookings (bookings.go, bookings_pick.go, bookings_confirm.go, verify_bookings.go):
//     seats held for customers' bookings, named or picked best available, confirmed,
//     freed, cancelled or expired; ledger.Bookings.
//   - Customers (customers.go, customers_find.go): the shop's customers, their personal
//     data in their own table and only their ids in the journal; ledger.Customers.
//   - Gate (gate.go, gate_reports.go, gate_rotating.go): check-ins and the entry's
//     reports; ledger.Gate. A SECURE ticket's rotating code is checked against its
//     phone's key (Devices).
//   - Door (door.go): the sales' gate policies, kept in the sales table; ledger.Door.
//   - Devices (devices.go): the phones' public keys of SECURE tickets, one a ticket with
//     the secret digest it was registered for, found by a wallet link's token as Wallets
//     finds it; ledger.Devices. verify_devices.go replays its device_registered rows.
//   - Keys (keys.go): API keys and their authentication.
//   - Idempotency (idempotency.go, idempotency_seal.go): the answers of writes sent with
//     an Idempotency-Key, per actor for 24 hours, sealed under keys derived from the
//     Idempotency-Key, which is never stored; ledger.Replays. It journals nothing.
//   - Ticketpark (ticketpark.go, ticketpark_read.go): the records of the /ticketpark/
//     facade, Ticketpark's pids and the contracts, customers and bookings they stand
//     for; ledger.TicketparkRecords. It journals nothing: the contracts, sales and holds
//     it stands for are journaled by the aggregates that make them.
//   - Bam (bam.go, bam_tickets.go): the numbers seed 002's wallet platform gives events
//     (contracts), timeslots (sales), sectors (sections) and ticket configs, and the
//     tickets read by those numbers, for the /bam/ facade; ledger.BamIDs. It journals
//     nothing.
//   - TicketLists (ticketquery.go, ticketquery_page.go, ticketquery_relate.go): the shop's
//     ticket list, found along an index by contract and sale, booking, owner or ids,
//     filtered, sorted, paged by key, with related records; ledger.TicketLists. It reads
//     only.
//   - Wallets (wallet.go, wallet_read.go, wallet_seal.go): the customers' wallet links,
//     found by the SHA-256 of their token (never stored), and the QR texts sealed under
//     a key derived from the token; ledger.Wallets. It journals nothing.
//   - Resale (resale.go, resale_offers.go, resale_buy.go): transfers, the organizer's
//     resale terms per sale, offers and their purchase, the sellers' credits;
//     ledger.Resale. A transfer or a resale moves the ticket with a fresh sealing in one
//     conditional update, as a reissue does; verify_resale.go replays them.
//   - Webhooks (webhooks.go, webhooks_follow.go, webhooks_queue.go,
//     webhooks_deliveries.go): the organizers' webhook endpoints, and the durable queue
//     of their deliveries, filled by following the journal's closed blocks and handed to
//     senders under leases; ledger.Webhooks and ledger.WebhookQueue. It journals nothing.
//   - Calls (calls.go, calls_count.go): partner keys' calls on the command API counted
//     against their limits, one row of counters a key shared by every server of the
//     database, the calls of each process counted together in one transaction;
//     ledger.CallMeter. It journals nothing.
//   - Season (season_events.go, season_seats.go): the command API's reads: contracts whose
//     sale is active as events, found by their show times, with their seats counted by
//     status; an account's sold seats; the database's status for ping;
//     ledger.SeasonRecords. It reads only.
//   - SeasonAccounts (season_accounts.go): the command API's accounts beyond their
//     customers: pins (hashed), locks and external ids; ledger.SeasonAccounts. It
//     journals nothing, and EraseCustomer deletes an erased customer's.
//   - Jobs (jobs.go, jobs_seal.go): the command API's jobs of asynchronous polling, run by
//     the server that accepted them under a lease and polled through any server; their
//     answers sealed under a key derived from the job's token, which is never stored;
//     ledger.CommandJobs. It journals nothing.
//   - Journal (verify.go, verify_state.go, verify_compare.go): the clock's height,
//     receipts and verification; ledger.Journal. Store.Ledger joins Contracts and Journal
//     into a ledger.Service.
//
// How data flows. A public method checks the actor and its input, then hands a function
// to update (tx.go), which runs it as one write: the function reads what it needs, makes
// its conditional updates and appends the journal entry that records them (journal), all
// in the same transaction, at a height read from the clock once the write locks are held.
// Writes on a contract share one preamble (writeContract: the actor's role, the address,
// the contract, the actor's right to it). Reads go straight to a pool.
//
// The engines differ only where dialect.go says: placeholders, where journal seqs and key
// ids come from, the lock statements, which errors mean "run it again", and a few
// engine-only migrations (migrations/NNNN_name.ENGINE.sql). How writes run differs too:
//
//   - SQLite (sqlite.go, batch.go): one writer at a time, so one goroutine per process
//     gathers the waiting writes into a group commit (with a savepoint for each write
//     once one has failed), and a second goroutine checkpoints the WAL. Statements are
//     prepared once (query.go).
//   - PostgreSQL (postgres.go, tx.go): each write is a transaction of its own on a pooled
//     connection, holding the closing lock shared and its contract's advisory lock;
//     writers queue for connections in order. Reservations are group-committed by two
//     workers in two pipelined round trips (pipeline.go).
//
// Blocks are closed and chained lazily, safely under concurrent writers from many
// servers; chain.go explains why. Verify closes and chains what it can and checks the
// whole journal on one snapshot (verify.go), then replays it and compares the state
// tables with the replay (verify_state.go, verify_compare.go).
//
// Tests run the same suite on either engine: SQLite files by default, PostgreSQL with
// TICKETBOOTH_TEST_DB=postgres (a throwaway cluster from internal/pgtest).
package sqlstore
