package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
)

// TestReserveTicketsForLayout buys four named seats asking for four tickets a code: as
// JSON and as a PDF for A4 they share one code; for A6 (?layout=a6, whatever the answer's
// format) they come as two codes of two, each printing with modules of at least
// issuer.MinModuleMM, and the PDF's pages say "CODE 1 OF 2" and "CODE 2 OF 2".
func TestReserveTicketsForLayout(t *testing.T) {
	e := newEnv(t)
	seats, prices := hallOf(16)
	addr := e.openSale(seats, prices, 100, saleRules{identity: true})
	body := func(first int) string {
		var s []string
		for k := first; k < first+4; k++ {
			s = append(s, seatJSON(k, "A"))
		}
		return fmt.Sprintf(`{"seats":[%s],"sender":"ann","customerName":"Ann Lee","ticketsPerQR":4}`, strings.Join(s, ","))
	}
	for i, tc := range []struct {
		query           string
		layout          issuer.Layout
		wantPer, wantQR int
	}{{"", issuer.LayoutA4, 4, 1}, {"?layout=a6", issuer.LayoutA6, 2, 2}} {
		var p issuer.Purchase
		e.do("POST", api.ContractPath(addr, "ReserveTickets")+tc.query, e.shop, body(1+8*i)).want(t, http.StatusCreated, &p)
		if p.TicketsPerQR != tc.wantPer || len(p.QR) != tc.wantQR {
			t.Errorf("%q: %d codes of %d tickets, want %d of %d", tc.query, len(p.QR), p.TicketsPerQR, tc.wantQR, tc.wantPer)
		}
		for k, text := range p.QR {
			if mm, err := issuer.ModuleMM(tc.layout, text); err != nil || mm < issuer.MinModuleMM {
				t.Errorf("%q: code %d prints with %.3f mm modules (%v)", tc.query, k+1, mm, err)
			}
		}
		req, _ := http.NewRequest("POST", e.srv.URL+api.ContractPath(addr, "ReserveTickets")+tc.query, strings.NewReader(body(5+8*i)))
		req.Header.Set("Authorization", "Bearer "+e.shop)
		req.Header.Set("Accept", "application/pdf")
		r := e.send(req)
		if r.status != http.StatusCreated || !strings.HasPrefix(string(r.body), "%PDF-") {
			t.Fatalf("%q: status %d, body %.40q: want 201 and a PDF", tc.query, r.status, r.body)
		}
		if tc.wantQR > 1 {
			checkPDFText(t, r.body, "CODE 1 OF 2", "CODE 2 OF 2")
		}
	}
}
