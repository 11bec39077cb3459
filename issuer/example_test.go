package issuer_test

import (
	"fmt"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The QR texts of a purchase: its tickets in groups of at most TicketsPerQR, each group a
// JSON array in the Ticketbooth format, which the gate reads back with scanner.ParseQR.
func ExampleQRTexts() {
	tickets := []issuer.IssuedTicket{
		{Seat: ledger.Seat{Number: 1, Letter: "A"}, Secret: issuer.SecretKeys{Plaintext: "Ab3dEf6hIj9kLm0",
			Key: strings.Repeat("0f", 32), IV: strings.Repeat("ab", 16)}},
		{Seat: ledger.Seat{Number: 1, Letter: "B"}, Secret: issuer.SecretKeys{Plaintext: "Zy8xWv7uTs6rQp5",
			Key: strings.Repeat("1e", 32), IV: strings.Repeat("cd", 16)}},
	}
	texts, err := issuer.QRTexts(tickets, 1)
	fmt.Println(len(texts), err)
	fmt.Println(texts[0])
	// Output:
	// 2 <nil>
	// [{"seat":{"number":1,"letter":"A"},"secret":"Ab3dEf6hIj9kLm0","secretKey":"0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f","secretIV":"abababababababababababababababab"}]
}

// A purchase's reference, printed on its tickets, is derived from its transaction hash.
func ExampleReference() {
	fmt.Println(issuer.Reference("8f4b59298b2fdd1d174a0df2b42059280810ad1dba3f409746c9425f337beec4"))
	// Output:
	// TB-HX5N-JACB
}
