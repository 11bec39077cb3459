package server_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// FuzzTicketTypesBody begins a sale on a fresh contract with fuzzed ticketTypes in
// Ticketbooth's BeginSale body, and when it begins, holds a seat as each type it offers:
// never a 5xx, every refusal an error body in words.
func FuzzTicketTypesBody(f *testing.F) {
	for _, seed := range []string{
		`[{"name":"reduced","prices":[{"price":5}]}]`,
		`[{"name":"child","prices":[{"priceLevel":10,"price":1},{"seat":{"number":2,"letter":"A"},"price":3}]}]`,
		`[{"name":"a","prices":[{"section":"","price":1}]},{"name":"A","prices":[{"price":1}]}]`,
		`[{"name":"x","prices":[{"seat":{"number":-1},"section":"S","price":1e30}]}]`,
		`[{"name":"\u202e","prices":[{"priceLevel":-1,"price":-1}]}]`, `[{}]`, `[null]`, `{}`, `"reduced"`, `null`,
	} {
		f.Add(seed)
	}
	base, _, keys := fuzzServer(f)
	var c ledger.Customer
	if err := json.Unmarshal(sendBody(f, "POST", base+api.CustomersPath, keys[1], `{"lastName":"Fuzz"}`), &c); err != nil || c.ID == 0 {
		f.Fatalf("creating the customer: %v", err)
	}
	details := `{"name":"Show","organiser":"Org","time":` + strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10) + `,"endOfSale":67108864}`
	prices := `[{"seat":{"number":1,"letter":"A"},"price":10},{"seat":{"number":2,"letter":"A"},"price":20}]`
	f.Fuzz(func(t *testing.T, types string) {
		var made api.CreateContractResponse
		if err := json.Unmarshal(sendBody(t, "POST", base+api.Base, keys[0],
			`{"venue":"Hall","seats":[{"number":1,"letter":"A"},{"number":2,"letter":"A"}]}`), &made); err != nil {
			t.Fatal(err)
		}
		body := `{"seatPrices":` + prices + `,"details":` + details + `,"ticketTypes":` + types + `}`
		var tx api.TransactionResponse
		if json.Unmarshal(sendBody(t, "POST", base+api.ContractPath(made.Address, "BeginSale"), keys[0], body), &tx) != nil || tx.TransactionHash == "" {
			return
		}
		var b ledger.Booking
		booking := `{"customer":` + strconv.FormatInt(c.ID, 10) + `,"contract":"` + made.Address + `"}`
		if err := json.Unmarshal(sendBody(t, "POST", base+api.BookingsPath, keys[1], booking), &b); err != nil {
			t.Fatal(err)
		}
		var offered []ledger.TicketType
		json.Unmarshal([]byte(types), &offered)
		for _, typ := range offered {
			name, _ := json.Marshal(typ.Name)
			sendBody(t, "POST", base+api.BookingPath(b.ID, "tickets"), keys[1], `{"seats":[{"number":2,"letter":"A"}],"type":`+string(name)+`}`)
			sendBody(t, "DELETE", base+api.BookingSeatPath(b.ID, ledger.Seat{Number: 2, Letter: "A"}), keys[1], "")
		}
	})
}
