package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// sealed returns an order's ticket for a seat, with a placeholder secret.
func sealed(t *testing.T, seat string) ledger.SealedTicket {
	return ledger.SealedTicket{Seat: parseSeats(t, seat)[0], SecretCiphertext: []byte{1}, SecretDigest: []byte{2}}
}

// TestReserveRefusalOrder: whatever order the seats come in, an unknown seat is reported
// before the sale's state and before a taken seat (Ticketbooth's order), a taken seat is
// named, and a refused order sells nothing.
func TestReserveRefusalOrder(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	c := e.create(t, org, "1A", "1B", "2A")
	_, err := e.store.Contracts.BeginSale(org, c.Address, flatPrices(parseSeats(t, "1A", "1B", "2A"), 10), e.details(t, 2))
	mustNil(t, err, "BeginSale")
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "ann", Tickets: []ledger.SealedTicket{sealed(t, "1A")}})
	mustNil(t, err, "Reserve 1A")
	tests := map[string]struct {
		seats []string
		want  string
	}{
		"TakenThenUnknown": {[]string{"1A", "9Z"}, "Invalid seat 9Z: it is well-formed, but this hall has no such seat"},
		"UnknownThenTaken": {[]string{"9Z", "1A"}, "Invalid seat 9Z: it is well-formed, but this hall has no such seat"},
		"FreeThenTaken":    {[]string{"2A", "1B", "1A"}, "Ticket for seat 1A not available to purchase"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			o := ledger.Order{Sender: "bob"}
			for _, s := range tt.seats {
				o.Tickets = append(o.Tickets, sealed(t, s))
			}
			_, err := e.store.Selling.Reserve(org, c.Address, o)
			wantCode(t, err, ledger.EREFUSED)
			if msg := ledger.ErrorMessage(err); msg != tt.want {
				t.Errorf("message %q, want %q", msg, tt.want)
			}
		})
	}
	checkOwners(t, e, c.Address, "ann", ledger.ZeroAddress, ledger.ZeroAddress)
	e.clock.AdvanceBlocks(3)
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "bob", Tickets: []ledger.SealedTicket{sealed(t, "1B"), sealed(t, "8Q")}})
	if want := "Invalid seat 8Q: it is well-formed, but this hall has no such seat"; ledger.ErrorMessage(err) != want {
		t.Errorf("after the sale's end, an unknown seat: %v, want %s", err, want)
	}
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "bob", Tickets: []ledger.SealedTicket{sealed(t, "1B")}})
	wantCode(t, err, ledger.ECONFLICT)
}

// TestIdentityRefusalsMarked: the store's refusals of the identity policy (a ticket
// without a name where names are required, one with a name where none is) carry
// ledger.ErrIdentityPolicy, which the issuer reacts to; other refusals do not. On
// PostgreSQL the orders go through the pipelined group first.
func TestIdentityRefusalsMarked(t *testing.T) {
	e := openEnv(t)
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	named, plain := e.create(t, org, "1A", "1B"), e.create(t, org, "1A", "1B")
	_, err := e.store.Contracts.SetIdentityPolicy(org, named.Address, true)
	mustNil(t, err, "SetIdentityPolicy")
	for _, c := range []ledger.Contract{named, plain} {
		_, err := e.store.Contracts.BeginSale(org, c.Address, flatPrices(parseSeats(t, "1A", "1B"), 10), e.details(t, 5))
		mustNil(t, err, "BeginSale")
	}
	withName := sealed(t, "1A")
	withName.NameCiphertext, withName.NameDigest = []byte{3}, []byte{4}
	_, err = e.store.Selling.Reserve(org, named.Address, ledger.Order{Sender: "ann", Tickets: []ledger.SealedTicket{sealed(t, "1A")}})
	wantCode(t, err, ledger.EREFUSED)
	if !errors.Is(err, ledger.ErrIdentityPolicy) || ledger.ErrorMessage(err) != "Customer name is required" {
		t.Errorf("no name under the identity policy: %v, want the identity refusal", err)
	}
	_, err = e.store.Selling.Reserve(org, plain.Address, ledger.Order{Sender: "ann", Tickets: []ledger.SealedTicket{withName}})
	wantCode(t, err, ledger.ECONFLICT)
	if !errors.Is(err, ledger.ErrIdentityPolicy) {
		t.Errorf("a name without the identity policy: %v, want the identity refusal", err)
	}
	_, err = e.store.Selling.Reserve(org, plain.Address, ledger.Order{Sender: "ann", Tickets: []ledger.SealedTicket{sealed(t, "1A")}})
	mustNil(t, err, "Reserve 1A")
	_, err = e.store.Selling.Reserve(org, plain.Address, ledger.Order{Sender: "bob", Tickets: []ledger.SealedTicket{sealed(t, "1A")}})
	wantCode(t, err, ledger.EREFUSED)
	if errors.Is(err, ledger.ErrIdentityPolicy) {
		t.Errorf("a taken seat is marked as an identity refusal: %v", err)
	}
}

func checkOwners(t *testing.T, e *env, address string, want ...string) {
	t.Helper()
	tickets, err := e.store.Contracts.Tickets(e.admin, address)
	mustNil(t, err, "Tickets")
	for i, tk := range tickets {
		if free := want[i] == ledger.ZeroAddress; free != (tk.Address == ledger.ZeroAddress) || !free && tk.Sender != want[i] {
			t.Errorf("seat %s owned by %q (%s), want %q", tk.Seat, tk.Sender, tk.Address, want[i])
		}
	}
}

// TestKeyRevokedElsewhere: a key revoked through another store (another server) stops
// working here too, within the key cache's lifetime; revoked here, at once.
func TestKeyRevokedElsewhere(t *testing.T) {
	e := openEnv(t)
	other := mustOpen(t, e.db, sqlstore.Options{Now: e.clock.Now})
	ctx := context.Background()
	key, rec, err := e.store.Keys.CreateKey(ctx, ledger.RoleBoxOffice, "shop")
	mustNil(t, err, "CreateKey")
	if _, err := e.store.Keys.Authenticate(ctx, key); err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	mustNil(t, other.Keys.RevokeKey(ctx, rec.ID), "RevokeKey on the other store")
	if _, err := other.Keys.Authenticate(ctx, key); ledger.ErrorCode(err) != ledger.EUNAUTHORIZED {
		t.Errorf("the revoking store still accepts the key: %v", err)
	}
	waitRefused(t, e.store, key, 10*sqlstore.KeyCacheTTL)
}

// waitRefused polls until the store refuses key, failing after limit.
func waitRefused(t *testing.T, s *sqlstore.Store, key string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		_, err := s.Keys.Authenticate(context.Background(), key)
		if ledger.ErrorCode(err) == ledger.EUNAUTHORIZED {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("a key revoked elsewhere still works after %s: %v", limit, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
