package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// TestKeyNameRefusesInvisibleText: a key's name with NUL or a bidirectional override is
// refused as invalid input (PostgreSQL cannot store NUL).
func TestKeyNameRefusesInvisibleText(t *testing.T) {
	e := openEnv(t)
	for _, name := range []string{"north\x00gate", "\u202enorth", "gate\u200b"} {
		if _, _, err := e.store.CreateKey(context.Background(), ledger.RoleScanner, name); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("CreateKey(%q): %v, want EINVALID", name, err)
		}
	}
}

// TestNewLedgerFilesArePrivate: a new SQLite ledger, its -wal and -shm files are created
// mode 0600, whatever the umask lets through; an existing file keeps its mode.
func TestNewLedgerFilesArePrivate(t *testing.T) {
	if pgtest.OnPostgres() {
		t.Skip("a file mode is a SQLite matter")
	}
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "ledger.db")
	st := mustOpen(t, path, sqlstore.Options{})
	if _, _, err := st.CreateKey(context.Background(), ledger.RoleScanner, "north"); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if mode := fi.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(f), mode)
		}
	}
	st.Close()
	os.Chmod(path, 0o640)
	mustOpen(t, path, sqlstore.Options{}).Close()
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("an existing ledger's mode changed to %v", fi.Mode().Perm())
	}
}
