package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// secretTicket returns an order's ticket for the seat whose QR secret is secret.
func secretTicket(t *testing.T, seat, secret string) ledger.SealedTicket {
	return ledger.SealedTicket{Seat: parseSeats(t, seat)[0], SecretCiphertext: []byte(secret), SecretDigest: crypto.SecretDigest(secret)}
}

// namedTicket returns an order's ticket carrying the purchaser's name, and its QR.
func namedTicket(t *testing.T, seat, secret, name string) (ledger.SealedTicket, ledger.QRTicket) {
	key, err := crypto.NewKey()
	mustNil(t, err, "NewKey")
	iv, err := crypto.NewIV()
	mustNil(t, err, "NewIV")
	ct, err := crypto.Encrypt(key, iv, []byte(name))
	mustNil(t, err, "Encrypt")
	st := secretTicket(t, seat, secret)
	st.NameCiphertext, st.NameDigest = ct, crypto.NameDigest(key, name)
	return st, ledger.QRTicket{Seat: st.Seat, Secret: secret, NameKey: crypto.EncodeHex(key), NameIV: crypto.EncodeHex(iv)}
}

func mustAdmit(t *testing.T, e *env, ctx context.Context, address string, r ledger.CheckInRequest) {
	t.Helper()
	res, err := e.store.Gate.CheckIn(ctx, address, r)
	mustNil(t, err, "CheckIn")
	for _, rs := range res {
		if rs.Status != ledger.StatusAdmitted {
			t.Fatalf("CheckIn %s = %+v, want admitted", rs.Seat, rs)
		}
	}
}

// stateHistory writes a realistic history: rules, a sale with reservations, a release,
// check-ins (one retried), its end, the identity policy, and a second sale with a named
// ticket checked in. Seats 1A, 1B, 1C, 2A; sale 1: ann holds 1A (admitted at east) and
// 1B (admitted at west), bob's 1C was released, 2A unsold; sale 2: carol holds 2A, named
// and admitted.
func stateHistory(t *testing.T, e *env) ledger.Contract {
	t.Helper()
	org := e.actor(t, ledger.RoleOrganizer, "promoter")
	seats := []string{"1A", "1B", "1C", "2A"}
	c := e.create(t, org, seats...)
	setRules(t, e, org, c.Address, ledger.Rules{ReleaseFee: 25, NoReleaseBlocks: 1})
	_, err := e.store.Contracts.BeginSale(org, c.Address, flatPrices(parseSeats(t, seats...), 100), e.details(t, 5))
	mustNil(t, err, "BeginSale")
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "ann", Tickets: []ledger.SealedTicket{
		secretTicket(t, "1A", "secret-1A"), secretTicket(t, "1B", "secret-1B")}})
	mustNil(t, err, "Reserve ann")
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "bob", Tickets: []ledger.SealedTicket{secretTicket(t, "1C", "secret-1C")}})
	mustNil(t, err, "Reserve bob")
	_, err = e.store.Selling.Release(org, c.Address, ledger.ReleaseRequest{Seat: parseSeats(t, "1C")[0], Sender: "bob"})
	mustNil(t, err, "Release")
	first := ledger.CheckInRequest{Tickets: []ledger.QRTicket{{Seat: parseSeats(t, "1A")[0], Secret: "secret-1A"}}, Gate: "east", Nonce: "n1"}
	mustAdmit(t, e, org, c.Address, first)
	e.clock.AdvanceBlocks(1)
	mustAdmit(t, e, org, c.Address, first) // a retry: admitted again, its first admission kept
	mustAdmit(t, e, org, c.Address, ledger.CheckInRequest{Tickets: []ledger.QRTicket{{Seat: parseSeats(t, "1B")[0], Secret: "secret-1B"}}, Gate: "west"})
	e.clock.AdvanceBlocks(5)
	_, err = e.store.Contracts.EndSale(org, c.Address)
	mustNil(t, err, "EndSale")
	_, err = e.store.Contracts.SetIdentityPolicy(org, c.Address, true)
	mustNil(t, err, "SetIdentityPolicy")
	_, err = e.store.Contracts.BeginSale(org, c.Address, flatPrices(parseSeats(t, seats...), 200), e.details(t, 3))
	mustNil(t, err, "BeginSale 2")
	st, qr := namedTicket(t, "2A", "secret-2A", "Carol Example")
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "carol", Tickets: []ledger.SealedTicket{st}})
	mustNil(t, err, "Reserve carol")
	mustAdmit(t, e, org, c.Address, ledger.CheckInRequest{Tickets: []ledger.QRTicket{qr}, Gate: "east"})
	e.clock.AdvanceBlocks(1)
	return c
}

// TestVerifyStateTampered alters a state table behind the store's back, each way once,
// and expects Verify's replay of the journal to report it, naming the contract and the
// column or seat.
func TestVerifyStateTampered(t *testing.T) {
	tests := map[string]struct {
		sql  string
		want []string // besides the contract's address, in one problem
	}{
		"ReleaseFee":      {`UPDATE contracts SET release_fee = 0 WHERE address = ?`, []string{"release_fee", "25"}},
		"OwnerOfSold":     {`UPDATE tickets SET owner = 'mallory' WHERE contract = ? AND sale = 1 AND idx = 0`, []string{"seat 1A", "owner", "holder"}},
		"HolderOfSold":    {`UPDATE tickets SET holder = 'C1' WHERE contract = ? AND sale = 1 AND idx = 0`, []string{"seat 1A", "holder", "C1"}},
		"SellerOfSold":    {`UPDATE tickets SET sold_by = 'key:99' WHERE contract = ? AND sale = 1 AND idx = 0`, []string{"seat 1A", "sold_by", "key:99"}},
		"OwnerOfFree":     {`UPDATE tickets SET owner = 'mallory' WHERE contract = ? AND sale = 1 AND idx = 2`, []string{"seat 1C", "owner", "available"}},
		"SecretDigest":    {`UPDATE tickets SET secret_digest = 'ab' WHERE contract = ? AND sale = 2 AND idx = 3`, []string{"sale 2 seat 2A", "secret_digest"}},
		"Price":           {`UPDATE tickets SET price = 1 WHERE contract = ? AND sale = 1 AND idx = 3`, []string{"sale 1 seat 2A", "price"}},
		"CheckInCleared":  {`UPDATE tickets SET checked_in_at = 0 WHERE contract = ? AND sale = 1 AND idx = 1`, []string{"seat 1B", "checked_in_at"}},
		"SaleEndHeight":   {`UPDATE sales SET end_height = end_height + 10 WHERE contract = ? AND number = 2`, []string{"sale 2", "end_height"}},
		"SeatLetter":      {`UPDATE seats SET letter = 'Z' WHERE contract = ? AND idx = 3`, []string{"2Z", "2A"}},
		"IdentityCleared": {`UPDATE contracts SET require_identity = 0 WHERE address = ?`, []string{"require_identity"}},
		"TicketDeleted":   {`DELETE FROM tickets WHERE contract = ? AND sale = 2 AND idx = 0`, []string{"sale 2 seat index 0", "missing"}},
		"GateReentry":     {`UPDATE sales SET reentry = 1 WHERE contract = ? AND number = 2`, []string{"sale 2", "reentry"}},
		"ExitForged":      {`UPDATE tickets SET exited_at = 5 WHERE contract = ? AND sale = 1 AND idx = 1`, []string{"sale 1 seat index 1", "exited_at"}},
		"GateOffline":     {`UPDATE sales SET offline_admission = 0 WHERE contract = ? AND number = 1`, []string{"sale 1", "offline_admission"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			e := openEnv(t)
			c := stateHistory(t, e)
			if rep := mustVerify(t, e); !rep.OK {
				t.Fatalf("Verify before tampering = %+v", rep)
			}
			wantRows(t, mustExec(t, e.rawDB(t), tt.sql, c.Address))
			rep := mustVerify(t, e)
			if rep.OK || len(rep.Problems) == 0 {
				t.Fatalf("Verify after tampering = %+v, want a problem reported", rep)
			}
			if !anyProblem(rep, append([]string{c.Address}, tt.want...)) {
				t.Errorf("problems %q: none names all of %s and %q", rep.Problems, c.Address, tt.want)
			}
		})
	}
}

func anyProblem(rep ledger.VerifyReport, want []string) bool {
	for _, p := range rep.Problems {
		all := true
		for _, w := range want {
			all = all && strings.Contains(p, w)
		}
		if all {
			return true
		}
	}
	return false
}

// TestVerifyStateUntouched: the replay agrees with what the store wrote, including a
// retried check-in and a ticket released and sold again.
func TestVerifyStateUntouched(t *testing.T) {
	e := openEnv(t)
	c := stateHistory(t, e)
	org := e.actor(t, ledger.RoleBoxOffice, "box office")
	dave, _ := namedTicket(t, "1C", "secret-dave", "Dave Example")
	_, err := e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "dave", Tickets: []ledger.SealedTicket{dave}})
	mustNil(t, err, "Reserve dave")
	_, err = e.store.Selling.Release(org, c.Address, ledger.ReleaseRequest{Seat: dave.Seat, Secret: "secret-dave"})
	mustNil(t, err, "Release dave")
	erin, _ := namedTicket(t, "1C", "secret-erin", "Erin Example")
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "erin", Tickets: []ledger.SealedTicket{erin}})
	mustNil(t, err, "Reserve erin")
	rep := mustVerify(t, e)
	if !rep.OK || len(rep.Problems) != 0 {
		t.Fatalf("Verify = %+v, want OK", rep)
	}
	var checkedIn int64
	mustNil(t, e.rawDB(t).QueryRow(`SELECT checked_in_at FROM tickets WHERE contract = ? AND sale = 1 AND idx = 0`, c.Address).Scan(&checkedIn), "reading 1A")
	if checkedIn == 0 {
		t.Fatalf("1A of sale 1 is not checked in; the history did not admit it")
	}
}

// BenchmarkVerifyStadium verifies a ledger holding a 60,000-seat contract with one sale
// of 1,000 sold tickets: the replay of its journal and the comparison with every row.
func BenchmarkVerifyStadium(b *testing.B) {
	venue, prices := loadStadium(b)
	e := openEnv(b)
	c, _, err := e.store.Contracts.CreateContract(e.admin, venue.Name, venue.Seats)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.store.Contracts.BeginSale(e.admin, c.Address, prices, e.details(b, 10)); err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		o := ledger.Order{Sender: "buyer"}
		for _, s := range venue.Seats[i*10 : i*10+10] {
			secret := "secret-" + s.String()
			o.Tickets = append(o.Tickets, ledger.SealedTicket{Seat: s, SecretCiphertext: []byte(secret), SecretDigest: crypto.SecretDigest(secret)})
		}
		if _, err := e.store.Selling.Reserve(e.admin, c.Address, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		rep, err := e.store.Journal.Verify(e.admin)
		if err != nil || !rep.OK {
			b.Fatalf("Verify = %+v, %v", rep, err)
		}
	}
}
