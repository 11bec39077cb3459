package sqlstore

import (
	"errors"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
)

// dialect is everything that differs between SQLite and PostgreSQL. The ledger's logic and
// its SQL are written once, with ? placeholders and portable types; the dialect rebinds
// placeholders, names the few expressions that differ, and says how writers are
// serialised:
//
//   - SQLite has one writer at a time: BEGIN IMMEDIATE takes the database's write lock,
//     which already orders every write, closing blocks included. One process batches
//     its writes into group commits (see batch.go).
//   - PostgreSQL runs writers concurrently, from many connections and many servers. Each
//     write transaction first takes, in one statement, the closing lock shared and its
//     contract's lock (shared to sell or check in, exclusive to manage); closing blocks
//     takes the closing lock exclusively (see chain.go). Both are transaction-scoped
//     advisory locks: they live in memory, not on a row, so thousands of concurrent
//     reservations on one contract do not write a lock onto its row.
type dialect struct {
	name string
	// numbered placeholders: $1, $2, ... instead of ?.
	numbered bool
	// batch: writes of one process are grouped into shared transactions (group commit).
	batch bool
	// cacheStatements: the store keeps its own prepared statements (pgx has its own cache).
	cacheStatements bool
	// nextJournalSeq and nextKeyID are SQL expressions for the next journal seq and API
	// key id: MAX+1 under SQLite's single writer, sequences under concurrent writers.
	nextJournalSeq, nextKeyID string
	// nextBookingID is the SQL expression for the next booking id, likewise.
	nextBookingID string
	// closeLockSQL takes the closing lock exclusively for the transaction; chainLockSQL,
	// the lock chainers alone take; migrateLockSQL serialises servers migrating one
	// database. "" when the engine's write lock does.
	closeLockSQL, chainLockSQL, migrateLockSQL string
	// writeLockSQL takes a write transaction's locks, in a statement without parameters
	// that is sent together with BEGIN (PostgreSQL only: on SQLite, BEGIN IMMEDIATE takes
	// the write lock and writes are batched).
	writeLockSQL func(contract string, mode lockMode) string
	// sharedLocksSQL takes the closing lock and the locks of several contracts shared,
	// for a pipelined group of reservations (pipeline.go); nil on SQLite.
	sharedLocksSQL func(contracts []string) string
	// pickLockSQL takes the lock that orders the picks of best-available seats on a
	// contract (bookings_pick.go); nil on SQLite, whose writer is alone anyway.
	pickLockSQL func(contract string) string
	// retryable reports errors after which a whole transaction may simply run again.
	retryable func(error) bool

	mu      sync.RWMutex
	rebound map[string]string
}

// lockMode is how a write transaction locks the contract it acts on.
type lockMode int

const (
	lockNone      lockMode = iota // no contract (keys, new contracts, verification)
	lockShared                    // selling and the gate: many at once on one contract
	lockExclusive                 // management: rules and sales, one at a time
	// lockUnrelated: a write that touches no contract, sale or ticket (the Idempotency-Key's
	// claims and kept answers): no lock, and the contracts a group commit read before it
	// stay valid after it, so it costs the sales around it nothing.
	lockUnrelated
)

// Advisory lock keys (PostgreSQL). The closing, chaining and migration locks use the
// one-bigint key space; contracts use the two-int4 space under contractLockClass, so they
// never collide with those.
const (
	closeLockKey      int64 = 0x7469636b65740001 // "ticket" 0001
	migrateLockKey    int64 = 0x7469636b65740002
	chainLockKey      int64 = 0x7469636b65740003
	contractLockClass int32 = 0x7462 // "tb"
	pickLockClass     int32 = 0x7470 // "tp"
)

var sqliteDialect = &dialect{
	name:            "sqlite",
	batch:           true,
	cacheStatements: true,
	nextJournalSeq:  "(SELECT COALESCE(MAX(seq), 0) + 1 FROM journal)",
	nextKeyID:       "(SELECT COALESCE(MAX(id), 0) + 1 FROM api_keys)",
	nextBookingID:   "(SELECT COALESCE(MAX(id), 0) + 1 FROM bookings)",
	retryable:       func(error) bool { return false },
}

var postgresDialect = &dialect{
	name:           "postgres",
	numbered:       true,
	nextJournalSeq: "nextval('journal_seq')",
	nextKeyID:      "nextval('api_keys_seq')",
	nextBookingID:  "nextval('bookings_seq')",
	closeLockSQL:   "SELECT pg_advisory_xact_lock(" + strconv.FormatInt(closeLockKey, 10) + ")",
	chainLockSQL:   "SELECT pg_advisory_xact_lock(" + strconv.FormatInt(chainLockKey, 10) + ")",
	migrateLockSQL: "SELECT pg_advisory_xact_lock(" + strconv.FormatInt(migrateLockKey, 10) + ")",
	writeLockSQL:   postgresWriteLocks,
	sharedLocksSQL: postgresSharedLocks,
	pickLockSQL:    postgresPickLock,
	retryable:      postgresRetryable,
}

// postgresWriteLocks takes the closing lock shared and then, in the same statement (target
// lists evaluate left to right), the contract's lock. The closing lock comes first
// everywhere, so waits cannot form a cycle.
func postgresWriteLocks(contract string, mode lockMode) string {
	closing := "SELECT pg_advisory_xact_lock_shared(" + strconv.FormatInt(closeLockKey, 10) + ")"
	key := strconv.Itoa(int(contractLockClass)) + ", " + strconv.Itoa(int(contractLockID(contract)))
	switch mode {
	case lockShared:
		return closing + ", pg_advisory_xact_lock_shared(" + key + ")"
	case lockExclusive:
		return closing + ", pg_advisory_xact_lock(" + key + ")"
	}
	return closing
}

// postgresPickLock takes the contract's pick lock exclusively, under the contract's
// shared lock the selling write already holds: picks on a contract run one at a time,
// each choosing from what the one before it left, while holds and sales of named seats
// go on beside them.
func postgresPickLock(contract string) string {
	return "SELECT pg_advisory_xact_lock(" + strconv.Itoa(int(pickLockClass)) + ", " + strconv.Itoa(int(contractLockID(contract))) + ")"
}

// postgresSharedLocks takes the closing lock shared and then the contracts' locks shared,
// in the order of their keys.
func postgresSharedLocks(contracts []string) string {
	ids := make([]int, len(contracts))
	for i, c := range contracts {
		ids[i] = int(contractLockID(c))
	}
	slices.Sort(ids)
	var b strings.Builder
	b.WriteString("SELECT pg_advisory_xact_lock_shared(" + strconv.FormatInt(closeLockKey, 10) + ")")
	for _, id := range slices.Compact(ids) {
		b.WriteString(", pg_advisory_xact_lock_shared(" + strconv.Itoa(int(contractLockClass)) + ", " + strconv.Itoa(id) + ")")
	}
	return b.String()
}

// contractLockID folds a contract address into the int4 of its advisory lock. Two
// contracts sharing a value only serialise a little more than needed.
func contractLockID(address string) int32 {
	h := fnv.New32a()
	h.Write([]byte(address))
	return int32(h.Sum32())
}

// postgresRetryable: a serialization failure or a detected deadlock aborts the whole
// transaction, which then may run again from the start.
func postgresRetryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// bind returns the query in the dialect's placeholders, remembering each rewrite.
func (d *dialect) bind(q string) string {
	if !d.numbered {
		return q
	}
	d.mu.RLock()
	out, ok := d.rebound[q]
	d.mu.RUnlock()
	if ok {
		return out
	}
	out = numberPlaceholders(q)
	d.mu.Lock()
	if d.rebound == nil {
		d.rebound = map[string]string{}
	}
	d.rebound[q] = out
	d.mu.Unlock()
	return out
}

// numberPlaceholders turns each ? outside quotes into $1, $2, ...
func numberPlaceholders(q string) string {
	var b strings.Builder
	n := 0
	quote := byte(0)
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
