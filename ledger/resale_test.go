package ledger_test

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestResaleTerms: the cap defaults to the face value, follows a percent or an amount;
// the fee defaults to none, never exceeds the price; malformed terms are refused.
func TestResaleTerms(t *testing.T) {
	for _, tc := range []struct {
		terms     ledger.ResaleTerms
		face, cap int64
		price     int64
		fee       int64
	}{
		{ledger.ResaleTerms{}, 100, 100, 100, 0},
		{ledger.ResaleTerms{CapPercent: 120, FeePercent: 10}, 100, 120, 119, 11},
		{ledger.ResaleTerms{CapAmount: 80, FeeAmount: 5}, 100, 80, 80, 5},
		{ledger.ResaleTerms{FeeAmount: 50}, 30, 30, 30, 30},
	} {
		if got := tc.terms.Cap(tc.face); got != tc.cap {
			t.Errorf("%+v: Cap(%d) = %d, want %d", tc.terms, tc.face, got, tc.cap)
		}
		if got := tc.terms.Fee(tc.price); got != tc.fee {
			t.Errorf("%+v: Fee(%d) = %d, want %d", tc.terms, tc.price, got, tc.fee)
		}
		if err := tc.terms.Validate(); err != nil {
			t.Errorf("%+v: %v", tc.terms, err)
		}
	}
	for _, bad := range []ledger.ResaleTerms{{CapPercent: -1}, {CapPercent: 110, CapAmount: 5}, {FeePercent: 1, FeeAmount: 1},
		{CapPercent: ledger.MaxResaleCapPercent + 1}, {FeePercent: 101}} {
		if err := bad.Validate(); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("%+v: Validate = %v, want invalid", bad, err)
		}
	}
}

// TestResaleEffectsJSON pins the journal's shape of the resale kinds.
func TestResaleEffectsJSON(t *testing.T) {
	seat := ledger.Seat{Section: "Stalls", Number: 1, Letter: "A"}
	rt := ledger.NewReservedTicket(3, 50, ledger.SealedTicket{Seat: seat, SecretCiphertext: []byte{1}, SecretDigest: []byte{2}})
	tail := `"index":3,"seat":` + mustJSON(t, seat) + `,"price":50,"secretDigest":"02","secretCiphertext":"01"}`
	for name, tc := range map[string]struct {
		effect any
		want   string
	}{
		"Transferred": {ledger.TicketTransferredEffect{Sale: 1, From: "A", Holder: "B", ReservedTicket: rt}, `{"sale":1,"from":"A","holder":"B",` + tail},
		"Terms":       {ledger.ResaleTermsEffect{Sale: 1, Terms: ledger.ResaleTerms{CapPercent: 120}}, `{"sale":1,"terms":{"capPercent":120}}`},
		"Offered": {ledger.ResaleOfferedEffect{Offer: 7, Sale: 1, Index: 3, Seat: seat, Holder: "A", Price: 60, SecretDigest: "02"},
			`{"offer":7,"sale":1,"index":3,"seat":` + mustJSON(t, seat) + `,"holder":"A","price":60,"secretDigest":"02"}`},
		"Withdrawn": {ledger.ResaleWithdrawnEffect{Offer: 7, Sale: 1}, `{"offer":7,"sale":1}`},
		"Sold": {ledger.ResaleSoldEffect{Offer: 7, Sale: 1, From: "A", Holder: "B", Paid: 60, Fee: 6, Credit: 54, ReservedTicket: rt},
			`{"offer":7,"sale":1,"from":"A","holder":"B","paid":60,"fee":6,"credit":54,` + tail},
	} {
		if got := mustJSON(t, tc.effect); got != tc.want {
			t.Errorf("%s: %s, want %s", name, got, tc.want)
		}
	}
}
