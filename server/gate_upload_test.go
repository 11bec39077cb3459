package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
	"github.com/ticketbooth-go/ticketbooth/server"
)

// upload posts a device's offline admissions to CheckInUpload with the key and wants 200.
func (e *env) upload(addr, key, device string, items ...scanner.Upload) []scanner.UploadResult {
	e.t.Helper()
	body, _ := json.Marshal(api.CheckInUploadRequest{Device: device, Items: items})
	var out api.CheckInUploadResponse
	e.do("POST", api.ContractPath(addr, "CheckInUpload"), key, string(body)).want(e.t, http.StatusOK, &out)
	if len(out.Results) != len(items) {
		e.t.Fatalf("%d results for %d uploads: %+v", len(out.Results), len(items), out.Results)
	}
	return out.Results
}

// TestCheckInUpload: a device's offline admissions uploaded in one batch are answered one
// by one: a ticket not admitted yet is admitted as of the device's time, one admitted
// online before is a double entry naming the first gate, unreadable QR text and an item
// without a nonce are answered with their reasons; the same upload again gets the same
// answers; CheckIns and GateCounts count the double entry.
func TestCheckInUpload(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	a, b := e.buy(addr, seatJSON(1, "A"), "ann", ""), e.buy(addr, seatJSON(1, "B"), "ann", "")
	e.admitOne(addr, a.QR, "north")
	at := e.clock.Now().Add(-2 * time.Minute).UTC()
	items := []scanner.Upload{
		{QR: b.QR, Gate: "south", Nonce: "u1", At: at},
		{QR: a.QR, Gate: "south", Nonce: "u2", At: at.Add(time.Second), Direction: "in"},
		{QR: "not a ticket", Gate: "south", Nonce: "u3", At: at},
		{QR: b.QR, Gate: "south", At: at},
	}
	e.clock.AdvanceBlocks(1)
	first := e.upload(addr, e.gate, "phone 7", items...)
	if r := first[0].Results; len(r) != 1 || r[0].Status != ledger.StatusAdmitted || !r[0].CheckedInAt.Equal(at) || first[0].Nonce != "u1" {
		t.Errorf("1B uploaded: %+v, want admitted as of %s", first[0], at)
	}
	if r := first[1].Results; len(r) != 1 || r[0].Status != ledger.StatusDoubleEntry || r[0].Gate != "north" {
		t.Errorf("1A uploaded after north admitted it: %+v, want a double entry naming north", first[1])
	}
	if first[2].Error == "" || first[3].Error == "" || !strings.Contains(first[3].Error, "nonce") {
		t.Errorf("unreadable and nonce-less uploads: %+v, %+v; want their reasons", first[2], first[3])
	}
	again := e.upload(addr, e.gate, "phone 7", items[:2]...)
	for i := range again {
		if again[i].Results[0].Status != first[i].Results[0].Status || !again[i].Results[0].CheckedInAt.Equal(*first[i].Results[0].CheckedInAt) {
			t.Errorf("upload %d again: %+v, want %+v", i, again[i], first[i])
		}
	}
	var rep ledger.CheckInReport
	e.do("GET", api.ContractPath(addr, "CheckIns"), e.alice, "").want(t, http.StatusOK, &rep)
	if rep.Admitted != 2 || rep.DoubleEntries != 1 || rep.Doubles[0].Gate != "south" || rep.Doubles[0].FirstGate != "north" || rep.Doubles[0].Device != "phone 7" {
		t.Errorf("CheckIns = %+v, want 2 admitted and 1A's double entry at south", rep)
	}
	var counts server.GateCounts
	e.do("GET", api.ContractPath(addr, "GateCounts")+"?gate=south", e.gate, "").want(t, http.StatusOK, &counts)
	if counts.DoubleEntries != 1 || counts.Doubles[0].Seat != (ledger.Seat{}) || !counts.Doubles[0].At.Equal(at.Add(time.Second)) {
		t.Errorf("GateCounts = %+v, want the double entry by gate and time, without its seat", counts)
	}
}

// TestCheckInUploadRefused: a batch beyond scanner.MaxUploadBatch, a body that is no
// batch, and another organizer's key are refused as a whole.
func TestCheckInUploadRefused(t *testing.T) {
	e := newEnv(t)
	addr := e.openSale(threeSeats, threePrices, 100, saleRules{})
	path := api.ContractPath(addr, "CheckInUpload")
	big, _ := json.Marshal(api.CheckInUploadRequest{Items: make([]scanner.Upload, scanner.MaxUploadBatch+1)})
	e.do("POST", path, e.gate, string(big)).wantErrorText(t, http.StatusBadRequest, ledger.EINVALID, "at most")
	e.do("POST", path, e.gate, `{"checkIns":"x"}`).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	one, _ := json.Marshal(api.CheckInUploadRequest{Items: []scanner.Upload{{QR: "x", Nonce: "n"}}})
	e.do("POST", path, e.bob, string(one)).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("POST", path, "", string(one)).wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
}
