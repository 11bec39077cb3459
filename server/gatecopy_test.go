package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestGateCopyRoute: GET …/GateCopy answers a scanner key and the owner with the sale's
// seats as compact arrays (base64 digests), never a customer's name, sender or booking;
// with the cursor it gave, only what changed since; gzipped when asked. Another
// organizer is refused 403, no key 401, a made-up cursor 400.
func TestGateCopyRoute(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"},{"number":1,"letter":"B"},{"number":2,"letter":"A"}]`)
	e.do("POST", api.ContractPath(addr, "Rules"), e.alice, `{"requireIdentityVerification":true,`+e.wallet()+`}`).want(t, http.StatusCreated, nil)
	e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, e.saleBody(threePrices, 100)).want(t, http.StatusCreated, nil)
	e.buy(addr, `{"number":1,"letter":"A"}`, "CSenderAnnXXXXXXXXXXXXXXXXXXXXXXXX", "Ann Example")
	var cp ledger.GateCopy
	r := e.do("GET", api.ContractPath(addr, "GateCopy"), e.gate, "")
	r.want(t, http.StatusOK, &cp)
	body := string(r.body)
	if !cp.Full || len(cp.Tickets) != 3 || !strings.Contains(body, `"tickets":[["1A","`) || !strings.Contains(body, `["1B"]`) {
		t.Fatalf("whole copy %s", body)
	}
	for _, private := range []string{"Ann", "CSenderAnn", "booking", "customer"} {
		if strings.Contains(body, private) {
			t.Errorf("the gate copy carries %q: %s", private, body)
		}
	}
	sold := cp.Tickets[0]
	if len(sold.SecretDigest) != 28 || len(sold.NameDigest) != 32 || len(sold.NameCiphertext) == 0 {
		t.Errorf("1A in the copy: %+v, want its secret's digest and its sealed name", sold)
	}
	e.do("GET", api.ContractPath(addr, "GateCopy"), e.alice, "").want(t, http.StatusOK, nil)
	e.do("GET", api.ContractPath(addr, "GateCopy"), e.bob, "").wantError(t, http.StatusForbidden, "forbidden")
	e.do("GET", api.ContractPath(addr, "GateCopy"), "", "").wantError(t, http.StatusUnauthorized, "unauthorized")
	e.do("GET", api.ContractPath(addr, "GateCopy")+"?cursor=x", e.gate, "").wantError(t, http.StatusBadRequest, "invalid")
	e.buy(addr, `{"number":2,"letter":"A"}`, "CSenderBobXXXXXXXXXXXXXXXXXXXXXXXX", "Bob Example")
	var inc ledger.GateCopy
	e.do("GET", api.ContractPath(addr, "GateCopy")+"?cursor="+url.QueryEscape(cp.Cursor), e.gate, "").want(t, http.StatusOK, &inc)
	if inc.Full || len(inc.Tickets) != 1 || inc.Tickets[0].Seat.String() != "2A" || !inc.Tickets[0].Sold {
		t.Errorf("increment %+v, want 2A sold", inc)
	}
}
