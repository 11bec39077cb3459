package issuer_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/golden"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// fixedTickets are issued tickets with fixed secrets and keys, named when named: every
// shape of seat (number and letter, number alone, letter alone, a section).
func fixedTickets(t *testing.T, named bool) []issuer.IssuedTicket {
	t.Helper()
	var out []issuer.IssuedTicket
	for i, text := range []string{"1A", "12", "B", "Stalls/12C", "Balcony/3"} {
		seat, err := ledger.ParseSeat(text)
		if err != nil {
			t.Fatal(err)
		}
		tk := issuer.IssuedTicket{Seat: seat, Price: int64(1000 * (i + 1)), Secret: issuer.SecretKeys{
			Plaintext: fmt.Sprintf("SECRET-%d-abcdef", i), Key: strings.Repeat(fmt.Sprintf("%x", i+1), 64), IV: strings.Repeat("0f", 16)}}
		if named {
			tk.CustomerName = &issuer.NameKeys{Key: strings.Repeat("cd", 32), IV: strings.Repeat(fmt.Sprintf("%d", i), 32)}
		}
		out = append(out, tk)
	}
	return out
}

// TestGoldenQRTexts checks the QR texts of fixed tickets, grouped for each layout, against
// testdata/qr_texts.golden: the Ticketbooth QR format (member names and order, the
// optional members left out) and the grouping stay as they are.
func TestGoldenQRTexts(t *testing.T) {
	var out strings.Builder
	for _, named := range []bool{false, true} {
		for _, layout := range []issuer.Layout{issuer.LayoutA4, issuer.LayoutA6} {
			for _, perQR := range []int{0, 1, 2} {
				texts, used, err := issuer.PrintableQRTexts(fixedTickets(t, named), perQR, layout)
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&out, "# named %v, layout %s, ticketsPerQR %d asked, %d used\n%s\n\n", named, layout, perQR, used,
					strings.Join(texts, "\n"))
			}
		}
	}
	golden.Check(t, "qr_texts", []byte(out.String()))
}

// TestGoldenPurchaseShape checks a purchase sold through a real ledger against
// testdata/purchase.golden: the purchase as the issuer returns it (and the API sends it)
// and its QR texts, with the fresh secrets, keys, IVs and addresses written as
// placeholders.
func TestGoldenPurchaseShape(t *testing.T) {
	e := newSellEnv(t)
	c := e.openSale(t, 3, ledger.Rules{RequireIdentityVerification: true}, 10)
	amount := int64(100)
	p := e.reserve(t, c.Address, issuer.Request{Seats: seats(3), CustomerName: "Zoë Łukasiewicz-Ødegård", Sender: "customer-4711",
		Amount: &amount, TicketsPerQR: 2})
	body, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	text := string(body) + "\n\n" + strings.Join(p.QR, "\n") + "\n"
	golden.Check(t, "purchase", []byte(purchasePlaceholders(p).Replace(text)))
}

// purchasePlaceholders replaces what is new in every purchase with a name for it.
func purchasePlaceholders(p issuer.Purchase) *strings.Replacer {
	pairs := []string{p.Contract, "<contract>", p.TransactionHash, "<transaction>", p.Holder, "<holder>"}
	for i, tk := range p.Tickets {
		pairs = append(pairs, tk.Secret.Plaintext, fmt.Sprintf("<secret-%d>", i+1), tk.Secret.Key, fmt.Sprintf("<key-%d>", i+1),
			tk.Secret.IV, fmt.Sprintf("<iv-%d>", i+1))
		if tk.CustomerName != nil {
			pairs = append(pairs, tk.CustomerName.Key, fmt.Sprintf("<name-key-%d>", i+1), tk.CustomerName.IV, fmt.Sprintf("<name-iv-%d>", i+1))
		}
	}
	return strings.NewReplacer(pairs...)
}
