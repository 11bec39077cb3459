package mailq

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestDeliveryKeyIsMadeOnceAndPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.db.delivery-key")
	if _, err := LoadDeliveryKey(path, false); ledger.ErrorCode(err) != ledger.EINVALID {
		t.Fatalf("a missing key file without create: %v, want EINVALID", err)
	}
	key, err := LoadDeliveryKey(path, true)
	if err != nil || len(key) != KeySize {
		t.Fatalf("LoadDeliveryKey = %x, %v", key, err)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v (%v), want 0600", info.Mode(), err)
	}
	again, err := LoadDeliveryKey(path, true)
	if err != nil || !bytes.Equal(again, key) {
		t.Fatalf("the second start read %x, %v; want the same key", again, err)
	}
	os.Chmod(path, 0o644)
	if _, err := LoadDeliveryKey(path, true); ledger.ErrorCode(err) != ledger.EINVALID {
		t.Fatalf("a key file others may read: %v, want EINVALID", err)
	}
	os.WriteFile(path, []byte("not hex"), 0o600)
	os.Chmod(path, 0o600)
	if _, err := LoadDeliveryKey(path, true); ledger.ErrorCode(err) != ledger.EINVALID {
		t.Fatalf("a damaged key file: %v, want EINVALID", err)
	}
}
