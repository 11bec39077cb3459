package sqlstore_test

import (
	"context"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
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
