package ledger_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestAuthorize(t *testing.T) {
	organizer := ledger.Actor{KeyID: 4, Name: "promoter", Role: ledger.RoleOrganizer}
	scanner := ledger.Actor{KeyID: 5, Name: "gate 1", Role: ledger.RoleScanner}
	admin := ledger.Actor{Admin: true}
	ctx := context.Background()

	_, err := ledger.Authorize(ctx, ledger.RoleOrganizer)
	wantCode(t, err, ledger.EUNAUTHORIZED)
	_, err = ledger.Authorize(ledger.WithActor(ctx, scanner), ledger.RoleOrganizer, ledger.RoleBoxOffice)
	wantCode(t, err, ledger.EFORBIDDEN)
	for _, a := range []ledger.Actor{organizer, admin} {
		got, err := ledger.Authorize(ledger.WithActor(ctx, a), ledger.RoleOrganizer)
		if err != nil || got != a {
			t.Errorf("Authorize(%+v) = %+v, %v; want the actor", a, got, err)
		}
	}
	if got, err := ledger.Authorize(ledger.WithActor(ctx, scanner), ledger.RoleBoxOffice, ledger.RoleScanner); err != nil || got != scanner {
		t.Errorf("Authorize of a scanner for scanners = %+v, %v", got, err)
	}
}

func TestAuthorizeOwner(t *testing.T) {
	a := ledger.Actor{KeyID: 4, Role: ledger.RoleOrganizer}
	if a.ID() != "key:4" || (ledger.Actor{Admin: true}).ID() != "admin" {
		t.Fatalf("IDs = %q, %q", a.ID(), (ledger.Actor{Admin: true}).ID())
	}
	if err := ledger.AuthorizeOwner(a, "key:4", ledger.ZeroAddress); err != nil {
		t.Errorf("owner refused: %v", err)
	}
	if err := ledger.AuthorizeOwner(ledger.Actor{Admin: true}, "key:4", ledger.ZeroAddress); err != nil {
		t.Errorf("admin refused: %v", err)
	}
	for _, owner := range []string{"key:40", "key:", "admin", ""} {
		wantCode(t, ledger.AuthorizeOwner(a, owner, ledger.ZeroAddress), ledger.EFORBIDDEN)
	}
}

func TestParseRole(t *testing.T) {
	for _, r := range []ledger.Role{ledger.RoleOrganizer, ledger.RoleBoxOffice, ledger.RoleScanner} {
		if got, err := ledger.ParseRole(string(r)); err != nil || got != r {
			t.Errorf("ParseRole(%q) = %q, %v", r, got, err)
		}
	}
	for _, s := range []string{"", "admin", "Organizer", "boxoffice"} {
		_, err := ledger.ParseRole(s)
		wantCode(t, err, ledger.EINVALID)
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	base := ledger.Errorf(ledger.ECONFLICT, "Sale is currently active")
	wrapped := fmt.Errorf("beginning: %w", base)
	if ledger.ErrorCode(wrapped) != ledger.ECONFLICT || ledger.ErrorMessage(wrapped) != "Sale is currently active" {
		t.Errorf("wrapped: code %q message %q", ledger.ErrorCode(wrapped), ledger.ErrorMessage(wrapped))
	}
	other := errors.New("disk I/O error at /var/secret/path")
	if ledger.ErrorCode(other) != ledger.EINTERNAL || ledger.ErrorMessage(other) == other.Error() {
		t.Errorf("plain error: code %q message %q (must not leak)", ledger.ErrorCode(other), ledger.ErrorMessage(other))
	}
	if ledger.ErrorCode(nil) != "" || ledger.ErrorMessage(nil) != "" {
		t.Errorf("nil error has code %q message %q", ledger.ErrorCode(nil), ledger.ErrorMessage(nil))
	}
}

func TestDurationJSON(t *testing.T) {
	data, err := json.Marshal(ledger.Duration(16 * time.Second))
	if err != nil || string(data) != `"16s"` {
		t.Fatalf("Marshal = %s, %v", data, err)
	}
	var d ledger.Duration
	if err := json.Unmarshal([]byte(`"1m30s"`), &d); err != nil || time.Duration(d) != 90*time.Second {
		t.Errorf("Unmarshal = %v, %v", time.Duration(d), err)
	}
	for _, bad := range []string{`16`, `"soon"`, `null`} {
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("Unmarshal(%s) accepted", bad)
		}
	}
}
