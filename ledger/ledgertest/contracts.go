package ledgertest

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// testCreateAndRead: CreateContract returns the contract, owned by the actor, and its
// receipt; Contract and Tickets read it back, every seat available, in seat order.
func testCreateAndRead(t *testing.T, b Backend) {
	o := b.Organizer
	seats := parseSeats(t, "1A", "1B", "Stalls/2")
	c, rc, err := o.Service.CreateContract(o.Ctx, venue, seats)
	must(t, err, "CreateContract")
	if ledger.ValidateAddress(c.Address) != nil || c.Venue != venue || c.SeatCount != 3 || c.Sale != nil || c.Owner == "" || c.Owner == "admin" {
		t.Errorf("CreateContract = %+v", c)
	}
	if rc.Kind != ledger.TxContractCreated || rc.Contract != c.Address || rc.Actor != c.Owner || ledger.ValidateTransactionHash(rc.TransactionHash) != nil {
		t.Errorf("CreateContract receipt %+v, contract %s owned by %s", rc, c.Address, c.Owner)
	}
	got, err := b.Anonymous.Service.Contract(b.Anonymous.Ctx, c.Address)
	must(t, err, "Contract")
	if got.Address != c.Address || got.Venue != venue || got.Owner != c.Owner || got.SeatCount != 3 || got.Sale != nil || got.Rules != (ledger.Rules{}) {
		t.Errorf("Contract = %+v, created %+v", got, c)
	}
	tickets, err := b.Anonymous.Service.Tickets(b.Anonymous.Ctx, c.Address)
	must(t, err, "Tickets")
	if len(tickets) != len(seats) {
		t.Fatalf("Tickets = %+v, want %d", tickets, len(seats))
	}
	for i, tk := range tickets {
		if tk.Seat != seats[i] || tk.Address != ledger.ZeroAddress || tk.Secret != "" || tk.Sender != "" {
			t.Errorf("ticket %d = %+v, want %s available", i, tk, seats[i])
		}
	}
}

// testUnknownContract: every call on an address that names no contract is ENOTFOUND, and
// on text that is no address EINVALID; an unknown transaction is ENOTFOUND.
func testUnknownContract(t *testing.T, b Backend) {
	addr, err := ledger.NewAddress()
	must(t, err, "NewAddress")
	o := b.Organizer
	_, err = o.Service.Contract(o.Ctx, addr)
	wantCode(t, err, ledger.ENOTFOUND, "Contract")
	_, err = o.Service.Tickets(o.Ctx, addr)
	wantCode(t, err, ledger.ENOTFOUND, "Tickets")
	_, err = o.Service.SetReleaseFee(o.Ctx, addr, 100)
	wantCode(t, err, ledger.ENOTFOUND, "SetReleaseFee")
	_, err = o.Service.BeginSale(o.Ctx, addr, flatPrices(parseSeats(t, "1A"), 100), details(t, b, 5))
	wantCode(t, err, ledger.ENOTFOUND, "BeginSale")
	_, err = o.Service.EndSale(o.Ctx, addr)
	wantCode(t, err, ledger.ENOTFOUND, "EndSale")
	ord, _ := order(t, "ann", "", "1A")
	_, err = b.BoxOffice.Seller.Reserve(b.BoxOffice.Ctx, addr, ord)
	wantCode(t, err, ledger.ENOTFOUND, "Reserve")
	_, err = o.Gate.CheckIns(o.Ctx, addr)
	wantCode(t, err, ledger.ENOTFOUND, "CheckIns")
	_, err = o.Service.Contract(o.Ctx, "not-an-address")
	wantCode(t, err, ledger.EINVALID, "Contract of a malformed address")
	_, err = o.Service.Receipt(o.Ctx, "00000000000000000000000000000000000000000000000000000000000000ff")
	wantCode(t, err, ledger.ENOTFOUND, "Receipt of an unknown hash")
	_, err = o.Service.Receipt(o.Ctx, "not-a-hash")
	wantCode(t, err, ledger.EINVALID, "Receipt of a malformed hash")
}

// testUnauthorized: a write without a key is EUNAUTHORIZED, whatever it writes.
func testUnauthorized(t *testing.T, b Backend) {
	c := onSale(t, b, 100, "1A", "1B")
	a := b.Anonymous
	_, _, err := a.Service.CreateContract(a.Ctx, venue, parseSeats(t, "1A"))
	wantCode(t, err, ledger.EUNAUTHORIZED, "CreateContract")
	_, err = a.Service.SetRules(a.Ctx, c.Address, ledger.RulesChange{ReleaseFee: new(int64)})
	wantCode(t, err, ledger.EUNAUTHORIZED, "SetRules")
	_, err = a.Service.EndSale(a.Ctx, c.Address)
	wantCode(t, err, ledger.EUNAUTHORIZED, "EndSale")
	ord, tickets := order(t, "ann", "", "1A")
	_, err = a.Seller.Reserve(a.Ctx, c.Address, ord)
	wantCode(t, err, ledger.EUNAUTHORIZED, "Reserve")
	_, err = a.Seller.Release(a.Ctx, c.Address, ledger.ReleaseRequest{Seat: tickets[0].qr.Seat, Secret: tickets[0].qr.Secret})
	wantCode(t, err, ledger.EUNAUTHORIZED, "Release")
	_, err = a.Gate.CheckIn(a.Ctx, c.Address, ledger.CheckInRequest{Tickets: []ledger.QRTicket{tickets[0].qr}, Gate: "north", Nonce: "n1"})
	wantCode(t, err, ledger.EUNAUTHORIZED, "CheckIn")
	_, err = a.Gate.CheckIns(a.Ctx, c.Address)
	wantCode(t, err, ledger.EUNAUTHORIZED, "CheckIns")
	_, err = a.Service.Verify(a.Ctx)
	wantCode(t, err, ledger.EUNAUTHORIZED, "Verify")
}

// testForbidden: a key that may not do a write is EFORBIDDEN: box-office and scanner keys
// on management calls, another organizer on the owner's contract, a box-office key at the
// gate, a scanner key selling.
func testForbidden(t *testing.T, b Backend) {
	c := onSale(t, b, 100, "1A", "1B")
	for _, p := range []struct {
		who   string
		party Party
	}{{"box office", b.BoxOffice}, {"scanner", b.Scanner}} {
		_, _, err := p.party.Service.CreateContract(p.party.Ctx, venue, parseSeats(t, "1A"))
		wantCode(t, err, ledger.EFORBIDDEN, p.who+" CreateContract")
		_, err = p.party.Service.EndSale(p.party.Ctx, c.Address)
		wantCode(t, err, ledger.EFORBIDDEN, p.who+" EndSale")
	}
	r := b.Rival
	_, err := r.Service.SetReleaseFee(r.Ctx, c.Address, 100)
	wantCode(t, err, ledger.EFORBIDDEN, "rival SetReleaseFee")
	_, err = r.Service.EndSale(r.Ctx, c.Address)
	wantCode(t, err, ledger.EFORBIDDEN, "rival EndSale")
	ord, tickets := order(t, "ann", "", "1A")
	_, err = r.Seller.Reserve(r.Ctx, c.Address, ord)
	wantCode(t, err, ledger.EFORBIDDEN, "rival Reserve")
	_, err = b.Scanner.Seller.Reserve(b.Scanner.Ctx, c.Address, ord)
	wantCode(t, err, ledger.EFORBIDDEN, "scanner Reserve")
	scan := ledger.CheckInRequest{Tickets: []ledger.QRTicket{tickets[0].qr}, Gate: "north", Nonce: "n1"}
	_, err = b.BoxOffice.Gate.CheckIn(b.BoxOffice.Ctx, c.Address, scan)
	wantCode(t, err, ledger.EFORBIDDEN, "box office CheckIn")
	_, err = r.Gate.CheckIn(r.Ctx, c.Address, scan)
	wantCode(t, err, ledger.EFORBIDDEN, "rival CheckIn")
	_, err = r.Gate.CheckIns(r.Ctx, c.Address)
	wantCode(t, err, ledger.EFORBIDDEN, "rival CheckIns")
	_, err = b.Scanner.Gate.CheckIns(b.Scanner.Ctx, c.Address)
	wantCode(t, err, ledger.EFORBIDDEN, "scanner CheckIns")
}

// testRules: each setter changes its rule and journals the rules as they now are;
// SetRules changes several at once and refuses a change of nothing (EINVALID).
func testRules(t *testing.T, b Backend) {
	c := create(t, b, "1A")
	o := b.Organizer
	_, err := o.Service.SetReleaseFee(o.Ctx, c.Address, 250)
	must(t, err, "SetReleaseFee")
	_, err = o.Service.SetNoReleaseBlocks(o.Ctx, c.Address, 3)
	must(t, err, "SetNoReleaseBlocks")
	rc, err := o.Service.SetIdentityPolicy(o.Ctx, c.Address, true)
	must(t, err, "SetIdentityPolicy")
	if rc.Kind != ledger.TxRulesSet || rc.Contract != c.Address {
		t.Errorf("SetIdentityPolicy receipt %+v", rc)
	}
	wantRules(t, b, c.Address, ledger.Rules{ReleaseFee: 250, NoReleaseBlocks: 3, RequireIdentityVerification: true})
	fee, off := int64(0), false
	_, err = o.Service.SetRules(o.Ctx, c.Address, ledger.RulesChange{ReleaseFee: &fee, RequireIdentityVerification: &off})
	must(t, err, "SetRules")
	wantRules(t, b, c.Address, ledger.Rules{NoReleaseBlocks: 3})
	_, err = o.Service.SetRules(o.Ctx, c.Address, ledger.RulesChange{})
	wantCode(t, err, ledger.EINVALID, "SetRules of nothing")
	_, err = o.Service.SetReleaseFee(o.Ctx, c.Address, -1)
	wantCode(t, err, ledger.EINVALID, "SetReleaseFee(-1)")
}

func wantRules(t *testing.T, b Backend, address string, want ledger.Rules) {
	t.Helper()
	c, err := b.Anonymous.Service.Contract(b.Anonymous.Ctx, address)
	must(t, err, "Contract")
	if c.Rules != want {
		t.Errorf("rules %+v, want %+v", c.Rules, want)
	}
}

// testRulesDuringSale: no rule changes while a sale is active (ECONFLICT), and the rules
// stay as they were.
func testRulesDuringSale(t *testing.T, b Backend) {
	c := create(t, b, "1A", "1B")
	o := b.Organizer
	_, err := o.Service.SetReleaseFee(o.Ctx, c.Address, 100)
	must(t, err, "SetReleaseFee")
	_, err = o.Service.BeginSale(o.Ctx, c.Address, flatPrices(parseSeats(t, "1A", "1B"), 500), details(t, b, 5))
	must(t, err, "BeginSale")
	_, err = o.Service.SetReleaseFee(o.Ctx, c.Address, 200)
	wantCode(t, err, ledger.ECONFLICT, "SetReleaseFee during the sale")
	_, err = o.Service.SetNoReleaseBlocks(o.Ctx, c.Address, 1)
	wantCode(t, err, ledger.ECONFLICT, "SetNoReleaseBlocks during the sale")
	_, err = o.Service.SetIdentityPolicy(o.Ctx, c.Address, true)
	wantCode(t, err, ledger.ECONFLICT, "SetIdentityPolicy during the sale")
	_, err = o.Service.SetRules(o.Ctx, c.Address, ledger.RulesChange{NoReleaseBlocks: new(int64)})
	wantCode(t, err, ledger.ECONFLICT, "SetRules during the sale")
	wantRules(t, b, c.Address, ledger.Rules{ReleaseFee: 100})
}

// testBeginAndEndSale: BeginSale needs one price for every seat and no active sale;
// EndSale ends it only once its end height is reached (ECONFLICT before, and after it
// ended).
func testBeginAndEndSale(t *testing.T, b Backend) {
	c := create(t, b, "1A", "1B")
	o := b.Organizer
	seats := parseSeats(t, "1A", "1B")
	d := details(t, b, 3)
	_, err := o.Service.BeginSale(o.Ctx, c.Address, flatPrices(seats[:1], 500), d)
	wantCode(t, err, ledger.EINVALID, "BeginSale without a price for 1B")
	_, err = o.Service.EndSale(o.Ctx, c.Address)
	wantCode(t, err, ledger.ECONFLICT, "EndSale before any sale")
	rc, err := o.Service.BeginSale(o.Ctx, c.Address, flatPrices(seats, 500), d)
	must(t, err, "BeginSale")
	if rc.Kind != ledger.TxSaleBegun || rc.Contract != c.Address {
		t.Errorf("BeginSale receipt %+v", rc)
	}
	got, err := b.Anonymous.Service.Contract(b.Anonymous.Ctx, c.Address)
	must(t, err, "Contract")
	if got.Sale == nil || !got.Sale.Active || got.Sale.Number != 1 || got.Sale.Details.Name != d.Name || got.Sale.Details.EndOfSale != d.EndOfSale {
		t.Errorf("sale after BeginSale: %+v", got.Sale)
	}
	_, err = o.Service.BeginSale(o.Ctx, c.Address, flatPrices(seats, 500), d)
	wantCode(t, err, ledger.ECONFLICT, "BeginSale during a sale")
	_, err = o.Service.EndSale(o.Ctx, c.Address)
	wantCode(t, err, ledger.ECONFLICT, "EndSale before the end height")
	b.AdvanceBlocks(4)
	rc, err = o.Service.EndSale(o.Ctx, c.Address)
	must(t, err, "EndSale at the end height")
	if rc.Kind != ledger.TxSaleEnded {
		t.Errorf("EndSale receipt %+v", rc)
	}
	got, err = b.Anonymous.Service.Contract(b.Anonymous.Ctx, c.Address)
	must(t, err, "Contract")
	if got.Sale == nil || got.Sale.Active || got.Sale.EndedHeight == 0 {
		t.Errorf("sale after EndSale: %+v", got.Sale)
	}
	_, err = o.Service.EndSale(o.Ctx, c.Address)
	wantCode(t, err, ledger.ECONFLICT, "EndSale again")
}

// testInfo: Info tells the clock, whose height follows the time.
func testInfo(t *testing.T, b Backend) {
	a := b.Anonymous
	info, err := a.Service.Info(a.Ctx)
	must(t, err, "Info")
	if info.BlockInterval <= 0 || info.Genesis.IsZero() || info.ZeroAddress != ledger.ZeroAddress {
		t.Errorf("Info = %+v", info)
	}
	b.AdvanceBlocks(3)
	later, err := a.Service.Info(a.Ctx)
	must(t, err, "Info")
	if later.Height != info.Height+3 || !later.Genesis.Equal(info.Genesis) {
		t.Errorf("Info three blocks on = %+v, was %+v", later, info)
	}
}

// testTransfer: the owner hands a contract to another organizer key, which then manages
// it while the old owner may not (EFORBIDDEN); a key that is not the owner may not hand
// it over, an unknown key is ENOTFOUND and an owner not written key:N EINVALID.
func testTransfer(t *testing.T, b Backend) {
	c := create(t, b, "1A")
	o, r := b.Organizer, b.Rival
	rivals, _, err := r.Service.CreateContract(r.Ctx, venue, parseSeats(t, "1A"))
	must(t, err, "rival CreateContract")
	_, err = r.Service.TransferContract(r.Ctx, c.Address, rivals.Owner)
	wantCode(t, err, ledger.EFORBIDDEN, "TransferContract by another organizer")
	_, err = o.Service.TransferContract(o.Ctx, c.Address, "key:999999")
	wantCode(t, err, ledger.ENOTFOUND, "TransferContract to an unknown key")
	_, err = o.Service.TransferContract(o.Ctx, c.Address, "nobody")
	wantCode(t, err, ledger.EINVALID, "TransferContract to an owner not written key:N")
	rc, err := o.Service.TransferContract(o.Ctx, c.Address, rivals.Owner)
	must(t, err, "TransferContract")
	if rc.Kind != ledger.TxContractOwner || rc.Contract != c.Address {
		t.Errorf("TransferContract receipt %+v", rc)
	}
	got, err := b.Anonymous.Service.Contract(b.Anonymous.Ctx, c.Address)
	must(t, err, "Contract")
	if got.Owner != rivals.Owner {
		t.Errorf("owner after the transfer %q, want %q", got.Owner, rivals.Owner)
	}
	_, err = o.Service.SetReleaseFee(o.Ctx, c.Address, 100)
	wantCode(t, err, ledger.EFORBIDDEN, "SetReleaseFee by the former owner")
	_, err = r.Service.SetReleaseFee(r.Ctx, c.Address, 100)
	must(t, err, "SetReleaseFee by the new owner")
}
