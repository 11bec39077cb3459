package ledger_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Seats are written as on a ticket: a number and a letter, either alone, and an optional
// section before a slash.
func ExampleParseSeat() {
	for _, text := range []string{"1A", "12", "A", "Stalls/12C", "1-A"} {
		seat, err := ledger.ParseSeat(text)
		if err != nil {
			fmt.Printf("%-10s %s: %s\n", text, ledger.ErrorCode(err), err)
			continue
		}
		fmt.Printf("%-10s number %d, letter %q, section %q: %s\n", text, seat.Number, seat.Letter, seat.Section, seat)
	}
	// Output:
	// 1A         number 1, letter "A", section "": 1A
	// 12         number 12, letter "", section "": 12
	// A          number 0, letter "A", section "": A
	// Stalls/12C number 12, letter "C", section "Stalls": Stalls/12C
	// 1-A        invalid: Invalid seat "1-A": write it as 1A, 12, A or Section/12A
}

// Amounts are kept in minor units and printed with the currency's own decimals.
func ExampleFormatAmount() {
	fmt.Println(ledger.FormatAmount("EUR", 7000))
	fmt.Println(ledger.FormatAmount("JPY", 4500))
	fmt.Println(ledger.FormatAmount("KWD", 1250))
	// Output:
	// EUR 70.00
	// JPY 4500
	// KWD 1.250
}

// An amount is read in the sale's currency; more decimals than it has are refused.
func ExampleParseAmount() {
	cents, err := ledger.ParseAmount("EUR", "12.50")
	fmt.Println(cents, err)
	_, err = ledger.ParseAmount("EUR", "12.505")
	fmt.Println(ledger.ErrorCode(err))
	// Output:
	// 1250 <nil>
	// invalid
}

// Contract addresses are base58check, as Cirrus writes them; the zero address is what the
// ticket list shows for an available seat.
func ExampleValidateAddress() {
	fmt.Println(ledger.ZeroAddress)
	fmt.Println(ledger.ValidateAddress(ledger.ZeroAddress))
	fmt.Println(ledger.ErrorCode(ledger.ValidateAddress("CZZZZ")))
	// Output:
	// CGTta3M4t3yXu8uRgkKvaWd2d8DQvDPnpL
	// <nil>
	// invalid
}

// Every error of the ledger carries a code, whatever wraps it; other errors are internal.
func ExampleErrorCode() {
	err := fmt.Errorf("reserving: %w", ledger.Errorf(ledger.EREFUSED, "Ticket for seat %s not available to purchase", "1A"))
	fmt.Println(ledger.ErrorCode(err), "-", ledger.ErrorMessage(err))
	other := errors.New("disk on fire")
	fmt.Println(ledger.ErrorCode(other), "-", ledger.ErrorMessage(other))
	fmt.Printf("%q\n", ledger.ErrorCode(nil))
	// Output:
	// refused - Ticket for seat 1A not available to purchase
	// internal - internal error
	// ""
}

// A gate's name is written one way, and compared case-folded.
func ExampleCleanGate() {
	for _, name := range []string{"  north   DOOR ", "North door", ""} {
		clean, _ := ledger.CleanGate(name)
		fmt.Printf("%q -> %q (key %q)\n", name, clean, ledger.GateKey(clean))
	}
	// Output:
	// "  north   DOOR " -> "north DOOR" (key "north door")
	// "North door" -> "North door" (key "north door")
	// "" -> "main" (key "main")
}

// Heights come from time: one block every interval since genesis.
func ExampleClock() {
	c := ledger.Clock{Genesis: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Interval: 16 * time.Second}
	fmt.Println(c.Height(time.Date(2030, 1, 1, 0, 1, 0, 0, time.UTC)))
	fmt.Println(c.TimeOf(100).Format(time.RFC3339))
	// Output:
	// 3
	// 2030-01-01T00:26:40Z
}

// A release refunds the price less the fee, and is open until noReleaseBlocks before the
// sale's end.
func ExampleRefund() {
	fmt.Println(ledger.Refund(3500, 500), ledger.Refund(300, 500))
	fmt.Println(ledger.ReleaseOpen(7, 2, 10), ledger.ReleaseOpen(8, 2, 10))
	// Output:
	// 3000 0
	// true false
}

// Writes act for the actor their context carries; Authorize checks its role.
func ExampleAuthorize() {
	shop := ledger.WithActor(context.Background(), ledger.Actor{KeyID: 7, Name: "web shop", Role: ledger.RoleBoxOffice})
	a, err := ledger.Authorize(shop, ledger.RoleBoxOffice, ledger.RoleOrganizer)
	fmt.Println(a.ID(), err)
	_, err = ledger.Authorize(shop, ledger.RoleOrganizer)
	fmt.Println(ledger.ErrorCode(err), "-", err)
	_, err = ledger.Authorize(context.Background(), ledger.RoleOrganizer)
	fmt.Println(ledger.ErrorCode(err))
	// Output:
	// key:7 <nil>
	// forbidden - A box-office key may not do this
	// unauthorized
}
