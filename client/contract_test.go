package client_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/client"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/ledgertest"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// TestContract runs the ledger's contract suite through the client against a live server
// on loopback, over a store on SQLite (or PostgreSQL under TICKETBOOTH_TEST_DB=postgres).
// The client implements ledger.Service itself; its selling and gate sides have their own
// shapes (issuer.Service, scanner.Service), which clientSeller and clientGate carry over
// to ledger.Seller and ledger.Gate without adding behaviour.
func TestContract(t *testing.T) {
	ledgertest.Run(t, clientBackend)
}

// clientBackend is a server on a fresh ledger, each party a client with its own key.
func clientBackend(t *testing.T) ledgertest.Backend {
	e := newEnv(t)
	party := func(c *client.Client) ledgertest.Party {
		return ledgertest.Party{Ctx: context.Background(), Service: c, Seller: clientSeller{c}, Gate: clientGate{c},
			Customers: c, Bookings: c, TicketLists: c, Webhooks: c, Door: c}
	}
	return ledgertest.Backend{
		Organizer:     party(e.alice),
		Rival:         party(e.bob),
		BoxOffice:     party(e.shop),
		Scanner:       party(e.gate),
		Anonymous:     party(e.anon),
		AdvanceBlocks: e.clock.AdvanceBlocks,
		Skip: map[string]string{
			"TicketPages": "client.Client has no TicketsPage: GET …/Tickets?offset=&limit= pages the list, " +
				"but its answer carries no sale number (ledger.TicketPage.Sale)",
			"ReissuedTicketAdmitted": "client.Client has no reissue of a ticket sealed by the caller: " +
				"ReissueTicket seals the new secret on the server, so the suite's own sealing never reaches the ledger",
			"GateCounts": "client.Client has no GateCounts: the scanner page calls GET …/GateCounts itself",
			"Malformed": "client.Client has no RecordMalformed: the server's CheckIn route records QR text " +
				"that does not parse itself",
		},
	}
}

// clientSeller is ledger.Seller through the client: orders go to ReserveSealedTickets
// (Client.Sell), releases to ReleaseTicket, reissues to ReissueTicket (which seals the
// new ticket on the server: the request's sealed ticket gives only the seat).
type clientSeller struct{ c *client.Client }

func (s clientSeller) Reserve(ctx context.Context, address string, o ledger.Order) (ledger.OrderReceipt, error) {
	p := issuer.Prepared{Order: o}
	for _, tk := range o.Tickets {
		p.Purchase.Tickets = append(p.Purchase.Tickets, issuer.IssuedTicket{Seat: tk.Seat})
	}
	bought, err := s.c.Sell(ctx, address, p)
	if err != nil {
		return ledger.OrderReceipt{}, err
	}
	rc, err := s.c.Receipt(ctx, bought.TransactionHash)
	out := ledger.OrderReceipt{Receipt: rc, Total: bought.Total, Refunded: bought.Refunded, Holder: bought.Holder}
	for _, tk := range bought.Tickets {
		out.Prices = append(out.Prices, tk.Price)
	}
	return out, err
}

func (s clientSeller) Release(ctx context.Context, address string, r ledger.ReleaseRequest) (ledger.ReleaseReceipt, error) {
	return s.c.Release(ctx, address, r)
}

func (s clientSeller) Reissue(ctx context.Context, address string, r ledger.ReissueRequest) (ledger.ReissueReceipt, error) {
	p, err := s.c.Reissue(ctx, address, issuer.ReissueRequest{Seat: r.Ticket.Seat, Secret: r.Secret})
	if err != nil {
		return ledger.ReissueReceipt{}, err
	}
	rc, err := s.c.Receipt(ctx, p.TransactionHash)
	return ledger.ReissueReceipt{Receipt: rc, Price: p.Tickets[0].Price, Holder: p.Holder}, err
}

// clientGate is ledger.Gate through the client: a check-in sends the tickets as the QR
// text that carries them (a JSON array of ledger.QRTicket).
type clientGate struct{ c *client.Client }

func (g clientGate) CheckIn(ctx context.Context, address string, r ledger.CheckInRequest) ([]ledger.CheckResult, error) {
	qr, err := json.Marshal(r.Tickets)
	if err != nil {
		return nil, err
	}
	return g.c.CheckIn(ctx, address, scanner.Scan{QR: string(qr), Gate: r.Gate, Nonce: r.Nonce, VerifyOnly: r.VerifyOnly, Direction: r.Direction})
}

func (g clientGate) RecordMalformed(context.Context, string, string, string) (ledger.CheckResult, error) {
	return ledger.CheckResult{}, ledger.Errorf(ledger.EINTERNAL, "client.Client has no RecordMalformed")
}

func (g clientGate) CheckIns(ctx context.Context, address string) (ledger.CheckInReport, error) {
	return g.c.CheckIns(ctx, address)
}

func (g clientGate) GateCounts(context.Context, string) (ledger.GateReport, error) {
	return ledger.GateReport{}, ledger.Errorf(ledger.EINTERNAL, "client.Client has no GateCounts")
}
