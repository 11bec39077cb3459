package ledgertest

import (
	"strings"
	"testing"
	"unicode"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// showTime is the show time of the suite's sales: 2100-01-01, in the future of any test
// clock and before the ledger's limit.
const showTime = 4102444800

// venue is the venue of the suite's contracts.
const venue = "Contract Hall"

// ticket is a ticket as the suite seals it: what the ledger gets and what the holder keeps.
type ticket struct {
	sealed ledger.SealedTicket
	qr     ledger.QRTicket
}

// seal seals a fresh secret for the seat, and the name when it is not empty, as an issuer
// does.
func seal(t *testing.T, seat ledger.Seat, name string) ticket {
	t.Helper()
	secret, err := crypto.NewSecret()
	must(t, err, "NewSecret")
	ct, key, iv := encrypt(t, secret)
	tk := ticket{
		sealed: ledger.SealedTicket{Seat: seat, SecretCiphertext: ct, SecretDigest: crypto.SecretDigest(secret)},
		qr:     ledger.QRTicket{Seat: seat, Secret: secret, SecretKey: crypto.EncodeHex(key), SecretIV: crypto.EncodeHex(iv)},
	}
	if name != "" {
		nct, nkey, niv := encrypt(t, name)
		tk.sealed.NameCiphertext, tk.sealed.NameDigest = nct, crypto.NameDigest(nkey, name)
		tk.qr.NameKey, tk.qr.NameIV = crypto.EncodeHex(nkey), crypto.EncodeHex(niv)
	}
	return tk
}

func encrypt(t *testing.T, plaintext string) (ct, key, iv []byte) {
	t.Helper()
	key, err := crypto.NewKey()
	must(t, err, "NewKey")
	iv, err = crypto.NewIV()
	must(t, err, "NewIV")
	ct, err = crypto.Encrypt(key, iv, []byte(plaintext))
	must(t, err, "Encrypt")
	return ct, key, iv
}

// order is an order of freshly sealed tickets for the seats (text form), paying the total.
func order(t *testing.T, sender, name string, seats ...string) (ledger.Order, []ticket) {
	t.Helper()
	o := ledger.Order{Sender: sender}
	var tickets []ticket
	for _, s := range parseSeats(t, seats...) {
		tk := seal(t, s, name)
		o.Tickets = append(o.Tickets, tk.sealed)
		tickets = append(tickets, tk)
	}
	return o, tickets
}

func parseSeats(t *testing.T, texts ...string) []ledger.Seat {
	t.Helper()
	out := make([]ledger.Seat, len(texts))
	for i, text := range texts {
		s, err := ledger.ParseSeat(text)
		must(t, err, "ParseSeat "+text)
		out[i] = s
	}
	return out
}

// flatPrices prices every seat at price.
func flatPrices(seats []ledger.Seat, price int64) []ledger.SeatPrice {
	out := make([]ledger.SeatPrice, len(seats))
	for i, s := range seats {
		out[i] = ledger.SeatPrice{Seat: s, Price: price}
	}
	return out
}

// create has the organizer create a contract of the seats (text form).
func create(t *testing.T, b Backend, seats ...string) ledger.Contract {
	t.Helper()
	o := b.Organizer
	c, _, err := o.Service.CreateContract(o.Ctx, venue, parseSeats(t, seats...))
	must(t, err, "CreateContract")
	return c
}

// details are the details of a sale ending blocks after the ledger's current height.
func details(t *testing.T, b Backend, blocks int64) ledger.SaleDetails {
	t.Helper()
	info, err := b.Anonymous.Service.Info(b.Anonymous.Ctx)
	must(t, err, "Info")
	return ledger.SaleDetails{Name: "Hamlet", Organiser: "Globe Players", Time: showTime, EndOfSale: info.Height + blocks}
}

// onSale creates a contract of the seats and begins a sale at price a seat, ending in
// ten blocks.
func onSale(t *testing.T, b Backend, price int64, seats ...string) ledger.Contract {
	t.Helper()
	c := create(t, b, seats...)
	o := b.Organizer
	_, err := o.Service.BeginSale(o.Ctx, c.Address, flatPrices(parseSeats(t, seats...), price), details(t, b, 10))
	must(t, err, "BeginSale")
	return c
}

// sell has the box office sell the seats to sender, named under the identity policy.
func sell(t *testing.T, b Backend, address, sender, name string, seats ...string) (ledger.OrderReceipt, []ticket) {
	t.Helper()
	o, tickets := order(t, sender, name, seats...)
	rc, err := b.BoxOffice.Seller.Reserve(b.BoxOffice.Ctx, address, o)
	must(t, err, "Reserve "+strings.Join(seats, ","))
	return rc, tickets
}

func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// wantCode fails unless err carries the code, compared through ledger.ErrorCode, and a
// message that reads as a sentence.
func wantCode(t *testing.T, err error, want, what string) {
	t.Helper()
	if got := ledger.ErrorCode(err); got != want {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, want)
		return
	}
	msg := ledger.ErrorMessage(err)
	r := []rune(msg)
	if len(r) == 0 || !unicode.IsLetter(r[0]) || len(strings.Fields(msg)) < 3 || strings.Contains(msg, "%!") {
		t.Errorf("%s: message %q is not a sentence", what, msg)
	}
}
