package ledgertest

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// testReceipts: Receipt returns what each write's receipt said, to anyone.
func testReceipts(t *testing.T, b Backend) {
	o := b.Organizer
	c, created, err := o.Service.CreateContract(o.Ctx, venue, parseSeats(t, "1A", "1B"))
	must(t, err, "CreateContract")
	rules, err := o.Service.SetReleaseFee(o.Ctx, c.Address, 100)
	must(t, err, "SetReleaseFee")
	begun, err := o.Service.BeginSale(o.Ctx, c.Address, flatPrices(parseSeats(t, "1A", "1B"), 500), details(t, b, 5))
	must(t, err, "BeginSale")
	sold, _ := sell(t, b, c.Address, "ann", "", "1A")
	for _, rc := range []ledger.Receipt{created, rules, begun, sold.Receipt} {
		got, err := b.Anonymous.Service.Receipt(b.Anonymous.Ctx, rc.TransactionHash)
		must(t, err, "Receipt "+rc.Kind)
		if got.TransactionHash != rc.TransactionHash || got.Kind != rc.Kind || got.Contract != c.Address ||
			got.Height != rc.Height || got.Actor != rc.Actor || !got.Time.Equal(rc.Time) || len(got.Effect) == 0 {
			t.Errorf("Receipt(%s) = %+v, the write answered %+v", rc.Kind, got, rc)
		}
	}
	if sold.Kind != ledger.TxTicketsReserved || sold.Actor == c.Owner {
		t.Errorf("Reserve receipt %+v: want %s by the box office", sold.Receipt, ledger.TxTicketsReserved)
	}
}

// testVerify: after writes of every kind, Verify finds the journal whole.
func testVerify(t *testing.T, b Backend) {
	c := onSale(t, b, 500, "1A", "1B")
	_, tickets := sell(t, b, c.Address, "ann", "", "1A", "1B")
	_, err := b.BoxOffice.Seller.Release(b.BoxOffice.Ctx, c.Address, ledger.ReleaseRequest{Seat: tickets[1].qr.Seat, Secret: tickets[1].qr.Secret})
	must(t, err, "Release")
	_, err = b.Scanner.Gate.CheckIn(b.Scanner.Ctx, c.Address, ledger.CheckInRequest{Tickets: []ledger.QRTicket{tickets[0].qr}, Gate: "north", Nonce: "v1"})
	must(t, err, "CheckIn")
	b.AdvanceBlocks(2)
	rep, err := b.Organizer.Service.Verify(b.Organizer.Ctx)
	must(t, err, "Verify")
	if !rep.OK || len(rep.Problems) > 0 || rep.Transactions < 5 || rep.Blocks < 1 || rep.Head == nil {
		t.Fatalf("Verify = %+v", rep)
	}
	again, err := b.Organizer.Service.Verify(b.Organizer.Ctx, *rep.Head)
	must(t, err, "Verify with the head as anchor")
	if !again.OK {
		t.Errorf("Verify(anchor %+v) = %+v", *rep.Head, again)
	}
	forged := ledger.BlockRef{Height: rep.Head.Height, Hash: "00" + rep.Head.Hash[2:]}
	if forged.Hash == rep.Head.Hash {
		forged.Hash = "11" + rep.Head.Hash[2:]
	}
	bad, err := b.Organizer.Service.Verify(b.Organizer.Ctx, forged)
	must(t, err, "Verify with a forged anchor")
	if bad.OK || len(bad.Problems) == 0 {
		t.Errorf("Verify(forged anchor) = %+v, want a problem", bad)
	}
}

// testTicketPages: TicketsPage returns the list a page at a time, in seat order, with the
// sale's number and the list's total; fewer or none past the end; EINVALID for negative
// bounds and ENOTFOUND for an unknown contract.
func testTicketPages(t *testing.T, b Backend) {
	a := b.Anonymous
	if a.Pager == nil {
		t.Skip("the backend pages no ticket lists")
	}
	texts := []string{"1A", "1B", "1C", "2A", "2B"}
	c := create(t, b, texts...)
	p, err := a.Pager.TicketsPage(a.Ctx, c.Address, 0, 10)
	must(t, err, "TicketsPage before the sale")
	if p.Sale != 0 || len(p.Tickets) != 5 || p.Total != 5 {
		t.Errorf("page before the sale: sale %d, %d tickets, total %d", p.Sale, len(p.Tickets), p.Total)
	}
	_, err = b.Organizer.Service.BeginSale(b.Organizer.Ctx, c.Address, flatPrices(parseSeats(t, texts...), 300), details(t, b, 5))
	must(t, err, "BeginSale")
	sell(t, b, c.Address, "ann", "", "2A")
	all, err := a.Service.Tickets(a.Ctx, c.Address)
	must(t, err, "Tickets")
	var paged []ledger.Ticket
	for offset := 0; offset < 6; offset += 2 {
		p, err := a.Pager.TicketsPage(a.Ctx, c.Address, offset, 2)
		must(t, err, "TicketsPage")
		if p.Sale != 1 || len(p.Tickets) != min(2, 5-offset) || p.Total != 5 {
			t.Errorf("page at %d: sale %d, %d tickets, total %d", offset, p.Sale, len(p.Tickets), p.Total)
		}
		paged = append(paged, p.Tickets...)
	}
	if len(paged) != len(all) {
		t.Fatalf("pages hold %d tickets, the list %d", len(paged), len(all))
	}
	for i := range all {
		if paged[i] != all[i] {
			t.Errorf("paged ticket %d = %+v, listed %+v", i, paged[i], all[i])
		}
	}
	p, err = a.Pager.TicketsPage(a.Ctx, c.Address, 10, 2)
	must(t, err, "TicketsPage past the end")
	if len(p.Tickets) != 0 {
		t.Errorf("page past the end holds %d tickets", len(p.Tickets))
	}
	_, err = a.Pager.TicketsPage(a.Ctx, c.Address, -1, 2)
	wantCode(t, err, ledger.EINVALID, "TicketsPage(-1)")
	addr, _ := ledger.NewAddress()
	_, err = a.Pager.TicketsPage(a.Ctx, addr, 0, 2)
	wantCode(t, err, ledger.ENOTFOUND, "TicketsPage of an unknown contract")
}
