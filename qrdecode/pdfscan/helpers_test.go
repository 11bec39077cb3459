package pdfscan

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// The tests of this package print tickets with our own code (issuer.PrintableQRTexts,
// ticketpdf.Printed and WritePDF) from purchases made up here, without a ledger, so that the fuzz target's
// binary needs no database; cmd/ticketbooth's tests read back PDFs sold on a real ledger.

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

// issue prints the purchases' tickets into one PDF in the layout.
func issue(t testing.TB, layout issuer.Layout, purchases ...purchase) issued {
	t.Helper()
	genesis := time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	c := ledger.Contract{Address: "CMa4CDM372AJyzAhbTiGrT6Uexk6hq214A", Venue: "Globe",
		Sale: &ledger.Sale{Number: 1, Active: true, Details: ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe Players",
			Time: genesis.Add(48 * time.Hour).Unix(), EndOfSale: 1000, Currency: "EUR", TimeZone: "Europe/London"}}}
	var out issued
	var printed []ticketpdf.PrintedTicket
	for _, p := range purchases {
		bought := made(t, p, layout)
		pages, err := ticketpdf.Printed(bought, c, ledger.Clock{Genesis: genesis, Interval: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		printed = append(printed, pages...)
		out.texts = append(out.texts, bought.QR...)
	}
	var buf bytes.Buffer
	if err := ticketpdf.WritePDF(&buf, layout, printed); err != nil {
		t.Fatal(err)
	}
	out.pdf = buf.Bytes()
	return out
}

// made is the purchase as the issuer returns it for the layout, with fresh secrets and
// keys.
func made(t testing.TB, p purchase, layout issuer.Layout) issuer.Purchase {
	t.Helper()
	bought := issuer.Purchase{TransactionHash: randomHex(32), Height: 3, CustomerName: p.name, TicketsPerQR: p.perQR}
	for _, s := range p.seats {
		seat, err := ledger.ParseSeat(s)
		if err != nil {
			t.Fatal(err)
		}
		it := issuer.IssuedTicket{Seat: seat, Price: 4500,
			Secret: issuer.SecretKeys{Plaintext: randomHex(8)[:15], Key: randomHex(32), IV: randomHex(16)}}
		if p.name != "" {
			it.CustomerName = &issuer.NameKeys{Key: randomHex(32), IV: randomHex(16)}
		}
		bought.Tickets = append(bought.Tickets, it)
	}
	var err error
	if bought.QR, bought.TicketsPerQR, err = issuer.PrintableQRTexts(bought.Tickets, p.perQR, layout); err != nil {
		t.Fatal(err)
	}
	return bought
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// isReaderError reports whether err is the reader's error, a *qrdecode.Error with a kind.
func isReaderError(err error) bool {
	var de *qrdecode.Error
	return errors.As(err, &de) && de.Kind != nil
}
