package issuer_test

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The issuer refuses a bad order before sealing anything, by the same rule as the store
// that would refuse it otherwise: the same code and the same words.
func TestOrderRuleAsTheStore(t *testing.T) {
	e := newSellEnv(t)
	address, err := ledger.NewAddress()
	if err != nil {
		t.Fatal(err)
	}
	negative := int64(-1)
	tests := map[string]issuer.Request{
		"NoSender":       {Seats: seats(1)},
		"NoSeats":        {Sender: "ann"},
		"TooManySeats":   {Seats: seats(ledger.MaxTicketsInOrder + 1), Sender: "ann"},
		"SeatTwice":      {Seats: append(seats(2), seats(1)...), Sender: "ann"},
		"NegativeAmount": {Seats: seats(1), Sender: "ann", Amount: &negative},
	}
	for name, r := range tests {
		t.Run(name, func(t *testing.T) {
			_, got := e.issuer.Reserve(e.ctx, address, r)
			o := ledger.Order{Sender: r.Sender, Amount: r.Amount}
			for _, s := range r.Seats {
				o.Tickets = append(o.Tickets, ledger.SealedTicket{Seat: s})
			}
			_, want := e.store.Selling.Reserve(e.ctx, address, o)
			if want == nil || ledger.ErrorCode(got) != ledger.ErrorCode(want) || ledger.ErrorMessage(got) != ledger.ErrorMessage(want) {
				t.Errorf("issuer: %v (%s); store: %v (%s)", got, ledger.ErrorCode(got), want, ledger.ErrorCode(want))
			}
		})
	}
}
