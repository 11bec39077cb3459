// Package sqlstore is the ledger's SQL storage: one implementation of ledger.Service,
// ledger.Seller and ledger.Gate over SQLite (an embedded file, the default) or PostgreSQL
// (several servers sharing one database), chosen by what Open is given: a file path, or
// a postgres:// URL.
//
// How data flows. A public method checks the actor and its input, then hands a function
// to update, which runs it as one write: the function reads what it needs, makes its
// conditional updates and appends the journal entry that records them (journal), all in
// the same transaction, at a height read from the clock once the write locks are held.
// Reads go straight to a pool.
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
//     connection, holding the sealing lock shared and its contract's advisory lock;
//     writers queue for connections in order. Reservations are group-committed by two
//     workers in two pipelined round trips (pipeline.go).
//
// Blocks are closed and sealed lazily, safely under concurrent writers from many
// servers; seal.go explains why. Verify seals what it can and checks the whole journal on
// one snapshot (verify.go), then replays it and compares the state tables with the
// replay (verify_state.go, verify_compare.go).
//
// Tests run the same suite on either engine: SQLite files by default, PostgreSQL with
// TICKETBOOTH_TEST_DB=postgres (a throwaway cluster from internal/pgtest).
package sqlstore
