package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"

	_ "modernc.org/sqlite" // the embedded SQL engine, pure Go
)

// SQLite's pools: 8 readers; page caches large enough that a 60,000-seat sale's pages
// stay in memory (SQLite's default is 2 MiB per connection, and every miss is a read
// system call); the file mapped into memory so reads of it need none.
const (
	readConns      = 8
	writerCacheKiB = 64 << 10
	readerCacheKiB = 16 << 10
	mmapBytes      = 1 << 30
)

// openSQLite opens the file with one write connection, whose transactions begin
// IMMEDIATE (taking the write lock at once), and a pool of readers. WAL lets readers
// run beside the writer; synchronous=NORMAL syncs at checkpoints, not at every commit.
func (s *db) openSQLite(path string) error {
	if path == "" {
		return ledger.Errorf(ledger.EINVALID, "no database given: pass --db FILE or set TICKETBOOTH_DB")
	}
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return ledger.Errorf(ledger.EINVALID, "cannot create database %s: folder %s does not exist", path, dir)
		}
	}
	s.d, s.name = sqliteDialect, path
	if err := s.privateFile(path); err != nil {
		return err
	}
	var err error
	if s.write, err = openSQLitePool(path, 1, "immediate", writerCacheKiB); err != nil {
		return err
	}
	if s.read, err = openSQLitePool(path, readConns, "", readerCacheKiB); err != nil {
		s.write.Close()
		return err
	}
	return nil
}

// privateFile creates a new database file with mode 0600, as the key file is: it holds
// purchasers' accounts and names. SQLite gives the -wal and -shm files the mode of the
// database file. An existing file keeps the mode its administrator gave it; when other
// users may read or write it, a warning says so.
func (s *db) privateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		return f.Close()
	}
	st, serr := os.Stat(path)
	if serr != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return ledger.Errorf(ledger.EINVALID, "cannot create database %s: %v", path, err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		s.log.Warn("ledger store", "op", "open", "file", path, "mode", st.Mode().Perm().String(),
			"warning", "other users may read this ledger; make it private with chmod 600 (and its -wal and -shm files)")
	}
	return nil
}

func openSQLitePool(path string, conns int, txlock string, cacheKiB int) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "cache_size(-"+strconv.Itoa(cacheKiB)+")")
	q.Add("_pragma", "mmap_size("+strconv.Itoa(mmapBytes)+")")
	q.Add("_pragma", "temp_store(MEMORY)")
	q.Add("_pragma", "wal_autocheckpoint(0)")
	if txlock != "" {
		q.Set("_txlock", txlock)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "opening %s: %v", path, err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	return db, nil
}

// checkpointEvery is how often the checkpointer copies the WAL back into the database.
const checkpointEvery = 1000 * time.Millisecond

// checkpointer copies the WAL back into the database file from a goroutine of its own,
// so the writer never waits for a checkpoint (which syncs the disk). The writer's
// connection has automatic checkpoints off; SQLite still checkpoints when the last
// connection closes. It runs until stop is closed, then closes done.
func (s *db) checkpointer(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(checkpointEvery)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			if _, err := s.read.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
				s.log.Warn("ledger store", "op", "checkpoint", "err", err)
			}
		}
	}
}
