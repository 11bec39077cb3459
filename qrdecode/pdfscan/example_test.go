package pdfscan_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/qrdecode"
	"github.com/ticketbooth-go/ticketbooth/qrdecode/pdfscan"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// Decode reads every code on the pages of a PDF, with its page: here two tickets printed
// by ticketpdf, one code a page.
func ExampleDecode() {
	show := time.Date(2030, 12, 24, 19, 30, 0, 0, time.UTC)
	var tickets []ticketpdf.PrintedTicket
	for i, qr := range []string{"first code", "second code"} {
		tickets = append(tickets, ticketpdf.PrintedTicket{ShowName: "Hamlet", Organiser: "Globe Players",
			Venue: "Ticketbooth Theatre", ShowTime: show, Currency: "EUR", QRText: qr, Code: i + 1, Codes: 2,
			Seats: []ticketpdf.PrintedSeat{{Seat: ledger.Seat{Number: i + 1, Letter: "A"}, Price: 3500}},
			Now:   time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)})
	}
	var pdf bytes.Buffer
	if err := ticketpdf.WritePDF(&pdf, issuer.LayoutA4, tickets); err != nil {
		fmt.Println(err)
		return
	}
	codes, err := pdfscan.Decode(context.Background(), pdf.Bytes(), pdfscan.Limits{})
	for _, c := range codes {
		fmt.Printf("page %d: %s\n", c.Page, c.Text)
	}
	fmt.Println(err)
	_, err = pdfscan.Decode(context.Background(), []byte("not a PDF"), pdfscan.Limits{})
	var e *qrdecode.Error
	fmt.Println(errors.As(err, &e), errors.Is(err, pdfscan.ErrNotPDF))
	// Output:
	// page 1: first code
	// page 2: second code
	// <nil>
	// true true
}
