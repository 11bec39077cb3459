package sqlstore

import (
	"database/sql"
	"net/url"
	"os"
	"path/filepath"

	"github.com/ticketbooth-go/ticketbooth/ledger"

	_ "modernc.org/sqlite" // the embedded SQL engine, pure Go
)

// readConns is the size of SQLite's read pool.
const readConns = 8

// openSQLite opens the file with one write connection, whose transactions begin
// IMMEDIATE (taking the write lock at once), and a pool of readers. WAL lets readers
// run beside the writer; synchronous=NORMAL syncs at checkpoints, not at every commit.
func (s *Store) openSQLite(path string) error {
	if path == "" {
		return ledger.Errorf(ledger.EINVALID, "no database given: pass --db FILE or set TICKETBOOTH_DB")
	}
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return ledger.Errorf(ledger.EINVALID, "cannot create database %s: folder %s does not exist", path, dir)
		}
	}
	s.d, s.name = sqliteDialect, path
	var err error
	if s.write, err = openSQLitePool(path, 1, "immediate"); err != nil {
		return err
	}
	if s.read, err = openSQLitePool(path, readConns, ""); err != nil {
		s.write.Close()
		return err
	}
	return nil
}

func openSQLitePool(path string, conns int, txlock string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
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
