package ledger_test

import (
	"encoding/json"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestEffectsJSON: each journal effect encodes exactly as the rows already hashed into
// the chain were written; a renamed field or a changed omitempty would break verify.
func TestEffectsJSON(t *testing.T) {
	seat := ledger.Seat{Section: "Stalls", Number: 1, Letter: "A"}
	rt := ledger.NewReservedTicket(3, 50, ledger.SealedTicket{Seat: seat, SecretCiphertext: []byte{1}, SecretDigest: []byte{2}})
	for _, tc := range []struct {
		name   string
		effect any
		want   string
	}{
		{"ContractCreated", ledger.ContractCreatedEffect{Venue: "V", Owner: "admin", Seats: []ledger.Seat{seat}},
			`{"venue":"V","owner":"admin","seats":[` + mustJSON(t, seat) + `]}`},
		{"ContractTransferred", ledger.ContractTransferredEffect{Owner: "key:2", Previous: "key:1"},
			`{"owner":"key:2","previous":"key:1"}`},
		{"SaleBegun", ledger.SaleBegunEffect{Sale: 1, Details: ledger.SaleDetails{Name: "N", EndOfSale: 9}, Prices: []int64{5}},
			`{"sale":1,"details":{"name":"N","organiser":"","time":0,"endOfSale":9},"prices":[5]}`},
		{"SaleEnded", ledger.SaleEndedEffect{Sale: 2}, `{"sale":2}`},
		{"TicketsReserved", ledger.TicketsReservedEffect{Sale: 1, Holder: "H", Amount: 60, Total: 50, Refunded: 10, Tickets: []ledger.ReservedTicket{rt}},
			`{"sale":1,"holder":"H","amount":60,"total":50,"refunded":10,"tickets":[{"index":3,"seat":` + mustJSON(t, seat) +
				`,"price":50,"secretDigest":"02","secretCiphertext":"01"}]}`},
		{"TicketReleased", ledger.TicketReleasedEffect{Sale: 1, Index: 3, Seat: seat, Holder: "H", Price: 50, Fee: 5, Refund: 45},
			`{"sale":1,"index":3,"seat":` + mustJSON(t, seat) + `,"holder":"H","price":50,"fee":5,"refund":45}`},
		{"TicketReissued", ledger.TicketReissuedEffect{Sale: 1, Holder: "H", ReservedTicket: rt},
			`{"sale":1,"holder":"H","index":3,"seat":` + mustJSON(t, seat) + `,"price":50,"secretDigest":"02","secretCiphertext":"01"}`},
		{"CheckIn", ledger.NewCheckInEffect(ledger.CheckInRequest{Gate: "main", Nonce: "n1"},
			[]ledger.CheckResult{{Seat: seat, Status: ledger.StatusAdmitted, Name: "never journaled"}}),
			`{"gate":"main","nonce":"n1","results":[{"seat":` + mustJSON(t, seat) + `,"status":"admitted"}]}`},
		{"CheckOut", ledger.NewCheckInEffect(ledger.CheckInRequest{Gate: "main", Nonce: "n2", Direction: ledger.DirectionOut},
			[]ledger.CheckResult{{Seat: seat, Status: ledger.StatusExited}}),
			`{"gate":"main","nonce":"n2","results":[{"seat":` + mustJSON(t, seat) + `,"status":"exited"}],"direction":"out"}`},
		{"CheckInMalformed", ledger.CheckInEffect{Gate: "main", Malformed: "unreadable"}, `{"gate":"main","malformed":"unreadable"}`},
		{"GatePolicySet", ledger.GatePolicyEffect{Sale: 2, Policy: ledger.GatePolicy{OfflineAdmission: true}},
			`{"sale":2,"policy":{"offlineAdmission":true,"reentry":false}}`},
		{"DeviceRegistered", ledger.DeviceRegisteredEffect{Sale: 1, Index: 3, Seat: seat, Holder: "H", Device: 2, KeyDigest: "0a"},
			`{"sale":1,"index":3,"seat":` + mustJSON(t, seat) + `,"holder":"H","device":2,"keyDigest":"0a"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mustJSON(t, tc.effect); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestSaleStates: a sale is active from BeginSale to EndSale, open for buying until its
// end height, and may be ended from its end height on.
func TestSaleStates(t *testing.T) {
	none := ledger.Contract{}
	active := ledger.Contract{Sale: &ledger.Sale{Active: true, Details: ledger.SaleDetails{EndOfSale: 10}}}
	ended := ledger.Contract{Sale: &ledger.Sale{Details: ledger.SaleDetails{EndOfSale: 10}}}
	for _, tc := range []struct {
		name                  string
		c                     ledger.Contract
		height                int64
		isActive, open, endOK bool
	}{
		{"NoSale", none, 0, false, false, false},
		{"Open", active, 9, true, true, false},
		{"PastEnd", active, 10, true, false, true},
		{"Ended", ended, 11, false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ledger.SaleActive(tc.c); got != tc.isActive {
				t.Errorf("SaleActive = %v, want %v", got, tc.isActive)
			}
			if got := ledger.SaleOpen(tc.c, tc.height); got != tc.open {
				t.Errorf("SaleOpen = %v, want %v", got, tc.open)
			}
			if got := ledger.SaleEndable(tc.c, tc.height); got != tc.endOK {
				t.Errorf("SaleEndable = %v, want %v", got, tc.endOK)
			}
		})
	}
}
