package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// db is what the aggregate stores share: the database handle (its pools, the dialect,
// the prepared statements), the clock, the logger and the write path (update, tx.go),
// with the block marks every write checks (chain.go). Each aggregate embeds the one db
// its Store opened.
//
// On SQLite, writes go through one connection per process, grouped into shared
// transactions by one goroutine (BEGIN IMMEDIATE serialises processes sharing the file),
// and reads use a pool. On PostgreSQL, one pool serves both, and write transactions run
// concurrently from every connection of every server (see dialect.go and chain.go).
type db struct {
	d      *dialect
	read   *sql.DB
	write  *sql.DB
	rstmts *stmtCache
	wstmts *stmtCache
	batch  *batcher // SQLite's group commit; nil on PostgreSQL
	// writeSlots queues PostgreSQL's write transactions for the pool's connections, first
	// come first served (see writeConn).
	writeSlots chan struct{}
	// stopCheckpoints ends SQLite's checkpointer, which closes checkpoints when done.
	stopCheckpoints, checkpoints chan struct{}
	clock                        ledger.Clock
	now                          func() time.Time
	log                          *slog.Logger
	name                         string // the database as messages may show it (no password)
	// closed is the closed mark this process last saw: no transaction may be written
	// below it (see chain.go).
	closed   atomic.Int64
	chaining atomic.Bool    // a write of this process is chaining blocks
	chainers sync.WaitGroup // background chaining (PostgreSQL)
}

// openDB opens the database at path (a SQLite file or a postgres:// URL), migrates it and
// reads its clock and closed mark.
func openDB(ctx context.Context, path string, opts Options) (*db, error) {
	s := &db{now: opts.Now, log: opts.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if IsPostgres(path) {
		err = s.openPostgres(ctx, path, opts.Serving)
	} else {
		err = s.openSQLite(path)
	}
	if err != nil {
		return nil, err
	}
	if s.d.cacheStatements {
		s.rstmts, s.wstmts = newStmtCache(s.read, s.d), newStmtCache(s.write, s.d)
	}
	if err := s.prepare(ctx, opts.BlockInterval); err != nil {
		s.close()
		return nil, err
	}
	if s.d.batch {
		s.batch = startBatcher(s)
		s.stopCheckpoints, s.checkpoints = make(chan struct{}), make(chan struct{})
		go s.checkpointer(s.stopCheckpoints, s.checkpoints)
	}
	return s, nil
}

// prepare migrates the database, reads or creates the clock, and reads the closed mark.
func (s *db) prepare(ctx context.Context, interval time.Duration) error {
	if err := s.migrate(ctx); err != nil {
		return err
	}
	if err := s.initClock(ctx, interval); err != nil {
		return err
	}
	return s.loadClosed(ctx)
}

// close stops the writer and the checkpointer and closes the pools. The store stops
// PostgreSQL's pipeline first.
func (s *db) close() error {
	s.chainers.Wait()
	if s.batch != nil {
		s.batch.stop()
		close(s.stopCheckpoints)
		<-s.checkpoints
	}
	if s.wstmts != nil {
		s.wstmts.close()
		s.rstmts.close()
	}
	if s.read == s.write {
		return s.write.Close()
	}
	return errors.Join(s.read.Close(), s.write.Close())
}

// reader runs statements on the read pool.
func (s *db) reader(ctx context.Context) runner {
	return runner{ctx: ctx, q: s.read, d: s.d, stmts: s.rstmts}
}

// writer runs statements in tx, or on the write pool when tx is nil.
func (s *db) writer(ctx context.Context, tx *sql.Tx) runner {
	if tx == nil {
		return runner{ctx: ctx, q: s.write, d: s.d, stmts: s.wstmts}
	}
	return runner{ctx: ctx, q: tx, tx: tx, d: s.d, stmts: s.wstmts}
}

func (s *db) initClock(ctx context.Context, interval time.Duration) error {
	if interval != 0 && interval < time.Millisecond {
		return ledger.Errorf(ledger.EINVALID, "block interval %s is too short: at least 1ms", interval)
	}
	genesis, stored, err := s.readClock(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		genesis, stored, err = s.createClock(ctx, interval)
	}
	if err != nil {
		return s.internal("reading the clock", err)
	}
	g, err1 := strconv.ParseInt(genesis, 10, 64)
	iv, err2 := time.ParseDuration(stored)
	if err1 != nil || err2 != nil || iv <= 0 {
		return ledger.Errorf(ledger.EINTERNAL, "database %s has a damaged clock (genesis %q, interval %q)", s.name, genesis, stored)
	}
	if interval != 0 && interval != iv {
		return ledger.Errorf(ledger.EINVALID, "database %s was created with block interval %s; it cannot change to %s (leave --block-interval out)", s.name, iv, interval)
	}
	s.clock = ledger.Clock{Genesis: time.Unix(0, g).UTC(), Interval: iv}
	return nil
}

func (s *db) readClock(ctx context.Context) (genesis, interval string, err error) {
	r := s.writer(ctx, nil)
	if err := r.row(`SELECT value FROM meta WHERE name = 'genesis'`).Scan(&genesis); err != nil {
		return "", "", err
	}
	err = r.row(`SELECT value FROM meta WHERE name = 'block_interval'`).Scan(&interval)
	return genesis, interval, err
}

// createClock stores the clock of a new database. Servers starting together on one new
// PostgreSQL database race here: the first insert wins and every one reads it back.
func (s *db) createClock(ctx context.Context, interval time.Duration) (string, string, error) {
	if interval == 0 {
		interval = ledger.DefaultBlockInterval
	}
	genesis := s.now().UTC()
	r := s.writer(ctx, nil)
	_, err := r.exec(`INSERT INTO meta (name, value) VALUES ('genesis', ?), ('block_interval', ?) ON CONFLICT (name) DO NOTHING`,
		strconv.FormatInt(genesis.UnixNano(), 10), interval.String())
	if err != nil {
		return "", "", err
	}
	return s.readClock(ctx)
}

// internal logs a fault of ours and returns an EINTERNAL error that does not leak it.
func (s *db) internal(what string, err error) error {
	var le *ledger.Error
	if errors.As(err, &le) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return ledger.Errorf(ledger.EINTERNAL, "%s: %v", what, err)
	}
	s.log.Error("ledger store", "op", what, "err", err)
	return &ledger.Error{Code: ledger.EINTERNAL, Message: fmt.Sprintf("%s failed", what)}
}
