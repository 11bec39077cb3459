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

// Options configure a store.
type Options struct {
	// BlockInterval is the block time of a new database. For an existing database it must
	// be 0 or the interval the database was created with.
	BlockInterval time.Duration
	// Now is the clock; nil means time.Now. Tests pass a clock they control.
	Now func() time.Time
	// Logger receives internal errors; nil discards.
	Logger *slog.Logger
	// Serving: the store serves many requests for a long time (ticketbooth serve). On
	// PostgreSQL it then opens its whole pool at once and keeps it, so the first buyers
	// of an on-sale do not wait for connections to be made.
	Serving bool
}

// Store is the SQL ledger, on SQLite or PostgreSQL. It implements ledger.Service.
//
// On SQLite, writes go through one connection per process, grouped into shared
// transactions by one goroutine (BEGIN IMMEDIATE serialises processes sharing the file),
// and reads use a pool. On PostgreSQL, one pool serves both, and write transactions run
// concurrently from every connection of every server (see dialect.go and seal.go).
type Store struct {
	d      *dialect
	read   *sql.DB
	write  *sql.DB
	rstmts *stmtCache
	wstmts *stmtCache
	batch  *batcher   // SQLite's group commit; nil on PostgreSQL
	pipe   *pipeliner // PostgreSQL's group commit of reservations; nil on SQLite
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
	// below it (see seal.go).
	closed  atomic.Int64
	sealing atomic.Bool    // a write of this process is sealing
	sealers sync.WaitGroup // background sealing (PostgreSQL)
	keys    keyCache
	// holderKey derives the pseudonymous holder addresses (holders.go); never logged.
	holderKey []byte
	// pipelined counts the reservations committed by pipelined groups (pipeline.go).
	pipelined atomic.Int64

	closeOnce sync.Once
	closeErr  error
}

var _ ledger.Service = (*Store)(nil)

// Open opens (creating if needed) the ledger at db: a SQLite file, or a PostgreSQL
// database given as a postgres:// or postgresql:// URL. It applies the migrations and
// reads the clock. Errors say what is wrong with the database or the options.
func Open(ctx context.Context, db string, opts Options) (*Store, error) {
	s := &Store{now: opts.Now, log: opts.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if IsPostgres(db) {
		err = s.openPostgres(ctx, db, opts.Serving)
	} else {
		err = s.openSQLite(db)
	}
	if err != nil {
		return nil, err
	}
	if s.d.cacheStatements {
		s.rstmts, s.wstmts = newStmtCache(s.read, s.d), newStmtCache(s.write, s.d)
	}
	if err := s.prepare(ctx, opts.BlockInterval); err != nil {
		s.Close()
		return nil, err
	}
	if s.d.batch {
		s.batch = startBatcher(s)
		s.stopCheckpoints, s.checkpoints = make(chan struct{}), make(chan struct{})
		go s.checkpointer(s.stopCheckpoints, s.checkpoints)
	}
	if s.d.sharedLocksSQL != nil {
		s.pipe = startPipeliner(s, pipelineWorkers)
	}
	return s, nil
}

// prepare migrates the database, reads or creates the clock and the holder key, and reads
// the closed mark.
func (s *Store) prepare(ctx context.Context, interval time.Duration) error {
	if err := s.migrate(ctx); err != nil {
		return err
	}
	if err := s.initClock(ctx, interval); err != nil {
		return err
	}
	if err := s.initHolders(ctx); err != nil {
		return err
	}
	return s.loadClosed(ctx)
}

// Close stops the writer and closes the database. Closing again does nothing.
func (s *Store) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.close() })
	return s.closeErr
}

func (s *Store) close() error {
	if s.pipe != nil {
		s.pipe.stop()
	}
	s.sealers.Wait()
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

// Name returns the database as messages may show it: the SQLite file, or the PostgreSQL
// URL's host, port and database without user or password.
func (s *Store) Name() string { return s.name }

// Clock returns the ledger's block clock.
func (s *Store) Clock() ledger.Clock { return s.clock }

// reader runs statements on the read pool.
func (s *Store) reader(ctx context.Context) runner {
	return runner{ctx: ctx, q: s.read, d: s.d, stmts: s.rstmts}
}

// writer runs statements in tx, or on the write pool when tx is nil.
func (s *Store) writer(ctx context.Context, tx *sql.Tx) runner {
	if tx == nil {
		return runner{ctx: ctx, q: s.write, d: s.d, stmts: s.wstmts}
	}
	return runner{ctx: ctx, q: tx, tx: tx, d: s.d, stmts: s.wstmts}
}

func (s *Store) initClock(ctx context.Context, interval time.Duration) error {
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

func (s *Store) readClock(ctx context.Context) (genesis, interval string, err error) {
	r := s.writer(ctx, nil)
	if err := r.row(`SELECT value FROM meta WHERE name = 'genesis'`).Scan(&genesis); err != nil {
		return "", "", err
	}
	err = r.row(`SELECT value FROM meta WHERE name = 'block_interval'`).Scan(&interval)
	return genesis, interval, err
}

// createClock stores the clock of a new database. Servers starting together on one new
// PostgreSQL database race here: the first insert wins and every one reads it back.
func (s *Store) createClock(ctx context.Context, interval time.Duration) (string, string, error) {
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

// Info returns the current height and the clock.
func (s *Store) Info(ctx context.Context) (ledger.Info, error) {
	return ledger.Info{
		Height:        max(s.clock.Height(s.now()), s.closed.Load()),
		BlockInterval: ledger.Duration(s.clock.Interval),
		Genesis:       s.clock.Genesis,
		ZeroAddress:   ledger.ZeroAddress,
	}, nil
}

// internal logs a fault of ours and returns an EINTERNAL error that does not leak it.
func (s *Store) internal(what string, err error) error {
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
