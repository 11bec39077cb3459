package ticketpdf_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// examplePurchase is a purchase of two seats with fixed secrets, one code for both.
func examplePurchase() issuer.Purchase {
	p := issuer.Purchase{Contract: "CGTta3M4t3yXu8uRgkKvaWd2d8DQvDPnpL", Height: 10, Total: 7000,
		TransactionHash: "8f4b59298b2fdd1d174a0df2b42059280810ad1dba3f409746c9425f337beec4"}
	for i, seat := range []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 1, Letter: "B"}} {
		p.Tickets = append(p.Tickets, issuer.IssuedTicket{Seat: seat, Price: 3500, Secret: issuer.SecretKeys{
			Plaintext: fmt.Sprintf("Secret%d-abcdefg", i), Key: strings.Repeat("0f", 32), IV: strings.Repeat("ab", 16)}})
	}
	p.QR, p.TicketsPerQR, _ = issuer.PrintableQRTexts(p.Tickets, 0, issuer.LayoutA4)
	return p
}

// exampleContract is the contract the purchase was sold on: a sale in London, releases
// until two blocks before its end, for a fee.
func exampleContract() ledger.Contract {
	return ledger.Contract{Address: "CGTta3M4t3yXu8uRgkKvaWd2d8DQvDPnpL", Venue: "Ticketbooth Theatre",
		Rules: ledger.Rules{ReleaseFee: 500, NoReleaseBlocks: 2},
		Sale: &ledger.Sale{Number: 1, Active: true, Details: ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe Players",
			Time: time.Date(2030, 12, 24, 19, 30, 0, 0, time.UTC).Unix(), EndOfSale: 1_000_000, Currency: "EUR",
			TimeZone: "Europe/London"}}}
}

// Printed lays a purchase out for printing: one ticket a code, with the show from the
// contract's sale, the reference from the transaction and the release deadline from the
// clock.
func ExamplePrinted() {
	clock := ledger.Clock{Genesis: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Interval: 16 * time.Second}
	printed, err := ticketpdf.Printed(examplePurchase(), exampleContract(), clock)
	fmt.Println(len(printed), err)
	t := printed[0]
	fmt.Println(t.ShowName, "by", t.Organiser, "at", t.Venue)
	fmt.Println(t.ShowTime.Format("Mon 2 Jan 2006 15:04 MST"))
	fmt.Println(t.Seats[0].Seat, t.Seats[1].Seat, t.Currency, t.Reference)
	fmt.Println("refundable until", t.ReleaseDeadline.Format("2 Jan 2006 15:04 MST"), "less", t.ReleaseFee)
	// Output:
	// 1 <nil>
	// Hamlet by Globe Players at Ticketbooth Theatre
	// Tue 24 Dec 2030 19:30 GMT
	// 1A 1B EUR TB-HX5N-JACB
	// refundable until 5 Jul 2030 05:26 BST less 500
}

// WritePDF prints the tickets into one PDF, one ticket a page; the same tickets printed
// at the same time give the same bytes.
func ExampleWritePDF() {
	clock := ledger.Clock{Genesis: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Interval: 16 * time.Second}
	printed, _ := ticketpdf.Printed(examplePurchase(), exampleContract(), clock)
	printed[0].Now = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	var first, again bytes.Buffer
	fmt.Println(ticketpdf.WritePDF(&first, issuer.LayoutA4, printed))
	fmt.Println(ticketpdf.WritePDF(&again, issuer.LayoutA4, printed))
	fmt.Printf("%s %v %v\n", first.Bytes()[:8], bytes.Equal(first.Bytes(), again.Bytes()), bytes.HasSuffix(first.Bytes(), []byte("%%EOF\n")))
	err := ticketpdf.WritePDF(&first, issuer.LayoutA4, nil)
	fmt.Println(ledger.ErrorCode(err), "-", err)
	// Output:
	// <nil>
	// <nil>
	// %PDF-1.4 true true
	// invalid - Invalid tickets: there is no ticket to print
}
