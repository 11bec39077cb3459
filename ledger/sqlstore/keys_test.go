package sqlstore_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// namedCall is one call of a table, in the order the table gives.
type namedCall struct {
	name string
	call func(context.Context) error
}

// managementCalls are the writes only a contract's owner (or the administrator) may make,
// rules first so that an owner can make them all in order.
func managementCalls(e *env, address string) []namedCall {
	seats := []ledger.Seat{{Number: 1, Letter: "A"}}
	return []namedCall{
		{"SetReleaseFee", func(ctx context.Context) error {
			_, err := e.store.Contracts.SetReleaseFee(ctx, address, 1)
			return err
		}},
		{"SetNoReleaseBlocks", func(ctx context.Context) error {
			_, err := e.store.Contracts.SetNoReleaseBlocks(ctx, address, 1)
			return err
		}},
		{"SetIdentityPolicy", func(ctx context.Context) error {
			_, err := e.store.Contracts.SetIdentityPolicy(ctx, address, true)
			return err
		}},
		{"BeginSale", func(ctx context.Context) error {
			_, err := e.store.Contracts.BeginSale(ctx, address, flatPrices(seats, 1), ledger.SaleDetails{Name: "n", Organiser: "o",
				Time: e.clock.Now().Unix() + 3600, EndOfSale: 1 << 26})
			return err
		}},
		{"EndSale", func(ctx context.Context) error { _, err := e.store.Contracts.EndSale(ctx, address); return err }},
	}
}

func TestAuthorization(t *testing.T) {
	e := openEnv(t)
	alice := e.actor(t, ledger.RoleOrganizer, "alice")
	bob := e.actor(t, ledger.RoleOrganizer, "bob")
	boxOffice := e.actor(t, ledger.RoleBoxOffice, "shop")
	scanner := e.actor(t, ledger.RoleScanner, "gate 1")
	anonymous := context.Background()
	c := e.create(t, alice, "1A")
	before := countRows(t, e, "journal")

	refusals := map[string]struct {
		ctx  context.Context
		code string
	}{
		"Anonymous":        {anonymous, ledger.EUNAUTHORIZED},
		"BoxOffice":        {boxOffice, ledger.EFORBIDDEN},
		"Scanner":          {scanner, ledger.EFORBIDDEN},
		"AnotherOrganizer": {bob, ledger.EFORBIDDEN},
	}
	for who, r := range refusals {
		for _, m := range managementCalls(e, c.Address) {
			t.Run(who+"/"+m.name, func(t *testing.T) { wantCode(t, m.call(r.ctx), r.code) })
		}
		if who != "AnotherOrganizer" {
			t.Run(who+"/CreateContract", func(t *testing.T) {
				_, _, err := e.store.Contracts.CreateContract(r.ctx, "Hall", parseSeats(t, "1A"))
				wantCode(t, err, r.code)
			})
			t.Run(who+"/Verify", func(t *testing.T) {
				_, err := e.store.Journal.Verify(r.ctx)
				wantCode(t, err, r.code)
			})
		}
	}
	if after := countRows(t, e, "journal"); after != before {
		t.Fatalf("refused calls wrote %d journal entries", after-before)
	}

	// The administrator manages anyone's contract; an organizer not the administrator's.
	_, err := e.store.Contracts.SetReleaseFee(e.admin, c.Address, 9)
	mustNil(t, err, "administrator SetReleaseFee on alice's contract")
	mine := e.create(t, e.admin, "1A")
	if mine.Owner != "admin" {
		t.Errorf("administrator's contract owner = %q", mine.Owner)
	}
	_, err = e.store.Contracts.SetReleaseFee(alice, mine.Address, 1)
	wantCode(t, err, ledger.EFORBIDDEN)
	// Bob's own contract is his to manage.
	bobs := e.create(t, bob, "1A")
	for _, m := range managementCalls(e, bobs.Address) {
		err := m.call(bob)
		if m.name == "EndSale" {
			// Owned, so refused only for the state: the sale runs until a far height.
			wantCode(t, err, ledger.ECONFLICT)
		} else if err != nil {
			t.Errorf("bob %s on his own contract: %v", m.name, err)
		}
	}
	// Reads are public.
	if _, err := e.store.Contracts.Contract(anonymous, c.Address); err != nil {
		t.Errorf("anonymous Contract: %v", err)
	}
	if _, err := e.store.Contracts.Tickets(scanner, c.Address); err != nil {
		t.Errorf("scanner Tickets: %v", err)
	}
}

func TestKeys(t *testing.T) {
	e := openEnv(t)
	ctx := context.Background()
	key, rec, err := e.store.Keys.CreateKey(ctx, ledger.RoleBoxOffice, "  web shop  ")
	mustNil(t, err, "CreateKey")
	if rec.Name != "web shop" || rec.Role != ledger.RoleBoxOffice || rec.ID == 0 || len(key) < 20 {
		t.Errorf("CreateKey = %q, %+v", key, rec)
	}
	key2, rec2, err := e.store.Keys.CreateKey(ctx, ledger.RoleScanner, "gate")
	mustNil(t, err, "second CreateKey")
	if key2 == key || rec2.ID == rec.ID {
		t.Errorf("two keys share a key or an id: %+v %+v", rec, rec2)
	}
	a, err := e.store.Keys.Authenticate(ctx, key)
	mustNil(t, err, "Authenticate")
	if a.KeyID != rec.ID || a.Role != ledger.RoleBoxOffice || a.Name != "web shop" || a.Admin {
		t.Errorf("Authenticate = %+v", a)
	}
	for _, bad := range []string{"", "x", key + "x", key[:len(key)-1], " " + key} {
		_, err := e.store.Keys.Authenticate(ctx, bad)
		wantCode(t, err, ledger.EUNAUTHORIZED)
	}
	keys, err := e.store.Keys.List(ctx)
	mustNil(t, err, "Keys")
	if len(keys) != 2 || keys[0].ID != rec.ID || keys[1].Role != ledger.RoleScanner || keys[0].Revoked {
		t.Errorf("Keys = %+v", keys)
	}

	mustNil(t, e.store.Keys.RevokeKey(ctx, rec.ID), "RevokeKey")
	_, err = e.store.Keys.Authenticate(ctx, key)
	wantCode(t, err, ledger.EUNAUTHORIZED)
	if _, err := e.store.Keys.Authenticate(ctx, key2); err != nil {
		t.Errorf("revoking one key revoked another: %v", err)
	}
	wantCode(t, e.store.Keys.RevokeKey(ctx, 999), ledger.ENOTFOUND)

	_, _, err = e.store.Keys.CreateKey(ctx, "admin", "root")
	wantCode(t, err, ledger.EINVALID)
	_, _, err = e.store.Keys.CreateKey(ctx, ledger.RoleOrganizer, "   ")
	wantCode(t, err, ledger.EINVALID)

	// Only a hash of a key is stored: the key is nowhere in the database.
	mustNil(t, e.store.Close(), "Close")
	all := e.contents(t)
	if !bytes.Contains(all, []byte("web shop")) {
		t.Fatalf("the database does not hold the key's name: this check reads the wrong data")
	}
	if bytes.Contains(all, []byte(key)) || bytes.Contains(all, []byte(key2)) {
		t.Errorf("the database holds an API key in clear")
	}
}

// contents returns what someone reading the database gets: the SQLite files, or the data
// of the PostgreSQL database as pg_dump writes it.
func (e *env) contents(t *testing.T) []byte {
	t.Helper()
	if pgtest.OnPostgres() {
		data, err := pgtest.Require(t).Dump(context.Background(), e.db)
		mustNil(t, err, "dumping the database")
		return data
	}
	var all []byte
	for _, f := range []string{e.db, e.db + "-wal"} {
		data, _ := os.ReadFile(f)
		all = append(all, data...)
	}
	return all
}
