package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"

	_ "modernc.org/sqlite" // the embedded SQL engine, pure Go
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
}

// Store is the SQL ledger. It implements ledger.Service. Writes go through one connection
// per process (SQLite has one writer at a time anyway; BEGIN IMMEDIATE serialises
// processes sharing the file); reads use a pool.
type Store struct {
	read  *sql.DB
	write *sql.DB
	clock ledger.Clock
	now   func() time.Time
	log   *slog.Logger
	path  string
}

var _ ledger.Service = (*Store)(nil)

// Open opens (creating if needed) the SQLite ledger at path, applies the migrations and
// reads the clock. Errors say what is wrong with the file or the options.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, ledger.Errorf(ledger.EINVALID, "no database given: pass --db FILE or set TICKETBOOTH_DB")
	}
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, ledger.Errorf(ledger.EINVALID, "cannot create database %s: folder %s does not exist", path, dir)
		}
	}
	s := &Store{now: opts.Now, log: opts.Logger, path: path}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	var err error
	if s.write, err = openSQLite(path, 1); err != nil {
		return nil, err
	}
	if s.read, err = openSQLite(path, 8); err != nil {
		s.write.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.initClock(ctx, opts.BlockInterval); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(path string, conns int) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "opening %s: %v", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil
}

// Close closes the database.
func (s *Store) Close() error {
	return errors.Join(s.read.Close(), s.write.Close())
}

// Clock returns the ledger's block clock.
func (s *Store) Clock() ledger.Clock { return s.clock }

func (s *Store) initClock(ctx context.Context, interval time.Duration) error {
	var genesis, stored string
	err := s.write.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = 'genesis'`).Scan(&genesis)
	if errors.Is(err, sql.ErrNoRows) {
		return s.createClock(ctx, interval)
	}
	if err != nil {
		return s.internal("reading the clock", err)
	}
	if err := s.write.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = 'block_interval'`).Scan(&stored); err != nil {
		return s.internal("reading the clock", err)
	}
	g, err1 := strconv.ParseInt(genesis, 10, 64)
	iv, err2 := time.ParseDuration(stored)
	if err1 != nil || err2 != nil || iv <= 0 {
		return ledger.Errorf(ledger.EINTERNAL, "database %s has a damaged clock (genesis %q, interval %q)", s.path, genesis, stored)
	}
	if interval != 0 && interval != iv {
		return ledger.Errorf(ledger.EINVALID, "database %s was created with block interval %s; it cannot change to %s (leave --block-interval out)", s.path, iv, interval)
	}
	s.clock = ledger.Clock{Genesis: time.Unix(0, g).UTC(), Interval: iv}
	return nil
}

func (s *Store) createClock(ctx context.Context, interval time.Duration) error {
	if interval == 0 {
		interval = ledger.DefaultBlockInterval
	}
	if interval < time.Millisecond {
		return ledger.Errorf(ledger.EINVALID, "block interval %s is too short: at least 1ms", interval)
	}
	genesis := s.now().UTC()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return s.internal("creating the clock", err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO meta (name, value) VALUES ('genesis', ?), ('block_interval', ?)`,
		strconv.FormatInt(genesis.UnixNano(), 10), interval.String())
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return s.internal("creating the clock", err)
	}
	s.clock = ledger.Clock{Genesis: genesis, Interval: interval}
	return nil
}

// Info returns the current height and the clock.
func (s *Store) Info(ctx context.Context) (ledger.Info, error) {
	return ledger.Info{
		Height:        s.clock.Height(s.now()),
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
