package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// A check-in nonce belongs to the gate that first sent it: the same nonce from another
// gate is not a retry of that request, so the ticket is already checked in there.
func TestCheckInNonceBoundToGate(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	tk := e.buy(addr, seatJSON(1, "A"), "ann", "")
	if first := e.scan("CheckIn", addr, e.gate, tk.QR, "North", "n-1")[0]; first.Status != ledger.StatusAdmitted {
		t.Fatalf("first scan %+v, want admitted", first)
	}
	elsewhere := e.scan("CheckIn", addr, e.gate, tk.QR, "South", "n-1")[0]
	if elsewhere.Status != ledger.StatusAlreadyCheckedIn || elsewhere.Gate != "North" {
		t.Errorf("the same nonce from another gate: %+v, want already checked in at North", elsewhere)
	}
	retry := e.scan("CheckIn", addr, e.gate, tk.QR, " north ", "n-1")[0]
	if retry.Status != ledger.StatusAdmitted || retry.Gate != "North" {
		t.Errorf("the same nonce from the same gate, typed differently: %+v, want admitted at North", retry)
	}
	if rep := e.checkInReport(addr); rep.Admitted != 1 || rep.PerGate["North"] != 1 {
		t.Errorf("report %+v, want one admission at North", rep)
	}
}

// Gate names differing only in case and white space are one gate, written as first
// seen; "North" and "North door" stay two gates.
func TestCheckInGateNames(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	var qrs []string
	for _, seat := range []string{seatJSON(1, "A"), seatJSON(1, "B"), seatJSON(2, "A")} {
		qrs = append(qrs, e.buy(addr, seat, "ann", "").QR)
	}
	for i, gate := range []string{"North  door", " NORTH\tDOOR ", "north"} {
		res := e.admitOne(addr, qrs[i], gate)
		want := map[int]string{0: "North door", 1: "North door", 2: "north"}[i]
		if res.Status != ledger.StatusAdmitted || res.Gate != want {
			t.Errorf("scan at %q: %+v, want admitted at %q", gate, res, want)
		}
	}
	rep := e.checkInReport(addr)
	if len(rep.PerGate) != 2 || rep.PerGate["North door"] != 2 || rep.PerGate["north"] != 1 {
		t.Errorf("per gate %v, want North door 2 and north 1", rep.PerGate)
	}
	counts := e.gateCounts(addr, e.gate, "north DOOR")
	if counts.Gate != "North door" || counts.GateAdmitted != 2 || !slices.Equal(counts.Gates, []string{"North door", "north"}) {
		t.Errorf("gate counts %+v, want North door with 2 and the gates [North door north]", counts)
	}
	long := "Gate " + string(make([]byte, ledger.MaxGateLen))
	e.do("POST", api.ContractPath(addr, "CheckIn"), e.gate, `{"qr":`+jsonString(qrs[0])+`,"gate":`+jsonString(long)+`}`).
		wantError(t, http.StatusBadRequest, ledger.EINVALID)
}

// GateCounts is for a scanner key or the owner's organizer key: another organizer's key
// is refused.
func TestGateCountsKeys(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	tk := e.buy(addr, seatJSON(1, "A"), "ann", "")
	e.admitOne(addr, tk.QR, "North")
	for name, key := range map[string]string{"Scanner": e.gate, "Owner": e.alice} {
		if c := e.gateCounts(addr, key, "North"); c.Admitted != 1 || c.GateAdmitted != 1 || c.Sold != 1 {
			t.Errorf("%s: %+v, want 1 sold, 1 admitted at North", name, c)
		}
	}
	path := api.ContractPath(addr, "GateCounts") + "?gate=North"
	e.do("GET", path, e.bob, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", path, e.shop, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", path, "", "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
}

func (e *env) gateCounts(addr, key, gate string) server.GateCounts {
	e.t.Helper()
	var c server.GateCounts
	e.do("GET", api.ContractPath(addr, "GateCounts")+"?gate="+url.QueryEscape(gate), key, "").want(e.t, http.StatusOK, &c)
	return c
}
