package pdfscan

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// issued is a PDF the issuer printed and the QR texts it returned, in page order.
type issued struct {
	pdf   []byte
	texts []string
}

// purchase is one purchase to print: its seats, the purchaser's name (under the identity
// policy) and how many tickets share a code.
type purchase struct {
	seats []string
	name  string
	perQR int
}

// issue sells the purchases on a real SQLite ledger through the issuer and prints all
// their tickets into one PDF in the layout.
func issue(t testing.TB, layout issuer.Layout, identity bool, purchases ...purchase) issued {
	t.Helper()
	clock := testclock.New(testclock.Start, 10*time.Second)
	ctx := ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	st, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "ledger.db"), sqlstore.Options{BlockInterval: 10 * time.Second, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := openSale(t, ctx, st, clock, identity)
	iss := &issuer.Issuer{Ledger: st}
	var out issued
	var printed []issuer.PrintedTicket
	for _, p := range purchases {
		var seats []ledger.Seat
		for _, s := range p.seats {
			seat, err := ledger.ParseSeat(s)
			if err != nil {
				t.Fatal(err)
			}
			seats = append(seats, seat)
		}
		bought, err := iss.Reserve(ctx, c.Address, issuer.Request{Seats: seats, CustomerName: p.name, Sender: "box-office", TicketsPerQR: p.perQR})
		if err != nil {
			t.Fatalf("Reserve: %v", err)
		}
		pages, err := issuer.Printed(bought, c, st.Clock())
		if err != nil {
			t.Fatal(err)
		}
		printed = append(printed, pages...)
		out.texts = append(out.texts, bought.QR...)
	}
	var buf bytes.Buffer
	if err := issuer.WritePDF(&buf, layout, printed); err != nil {
		t.Fatal(err)
	}
	out.pdf = buf.Bytes()
	return out
}

// openSale creates a contract of the seats 1A-1H and 2A-2H and begins a sale on it.
func openSale(t testing.TB, ctx context.Context, st *sqlstore.Store, clock *testclock.Clock, identity bool) ledger.Contract {
	t.Helper()
	var seats []ledger.Seat
	var prices []ledger.SeatPrice
	for n := 1; n <= 2; n++ {
		for _, l := range "ABCDEFGH" {
			s := ledger.Seat{Number: n, Letter: string(l)}
			seats = append(seats, s)
			prices = append(prices, ledger.SeatPrice{Seat: s, Price: 4500})
		}
	}
	c, _, err := st.CreateContract(ctx, "Globe", seats)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetIdentityPolicy(ctx, c.Address, identity); err != nil {
		t.Fatal(err)
	}
	d := ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe Players", Time: clock.Now().Add(48 * time.Hour).Unix(),
		EndOfSale: 1000, Currency: "EUR", TimeZone: "Europe/London"}
	if _, err := st.BeginSale(ctx, c.Address, prices, d); err != nil {
		t.Fatal(err)
	}
	if c, err = st.Contract(ctx, c.Address); err != nil {
		t.Fatal(err)
	}
	return c
}
