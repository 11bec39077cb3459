package scanner_test

import (
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// A QR text is a JSON array of tickets; ParseQR reads it strictly, keys in lower case.
func ExampleParseQR() {
	text := `[{"seat":{"number":1,"letter":"A"},"secret":"Ab3dEf6hIj9kLm0",` +
		`"secretKey":"0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F","secretIV":"abababababababababababababababab"},` +
		`{"seat":{"number":12,"letter":"C","section":"Stalls"},"secret":"Zy8xWv7uTs6rQp5"}]`
	tickets, err := scanner.ParseQR(text)
	fmt.Println(len(tickets), err)
	for _, t := range tickets {
		fmt.Printf("%s %s key %.8q named %v\n", t.Seat, t.Secret, t.SecretKey, t.NameKey != "")
	}
	// Output:
	// 2 <nil>
	// 1A Ab3dEf6hIj9kLm0 key "0f0f0f0f" named false
	// Stalls/12C Zy8xWv7uTs6rQp5 key "" named false
}

// Anything else is refused with a reason that names the ticket and the member, never a
// secret.
func ExampleParseQR_refused() {
	for _, text := range []string{
		``,
		`[{"seat":{"number":1,"letter":"A"},"secret":"short"}]`,
		`[{"seat":{"number":1,"letter":"A"},"secret":"Ab3dEf6hIj9kLm0","contract":"C"}]`,
		`{"seat":{"number":1,"letter":"A"},"secret":"Ab3dEf6hIj9kLm0","nameKey":"00"}`,
	} {
		_, err := scanner.ParseQR(text)
		fmt.Println(ledger.ErrorCode(err), "-", err)
	}
	// Output:
	// invalid - QR text is empty
	// invalid - ticket 1: secret must be 15 characters, got 5
	// invalid - ticket 1: unknown member "contract" (want seat, secret, secretKey, secretIV, nameKey, nameIV)
	// invalid - ticket 1: nameKey must be 64 hex characters, got 2
}
