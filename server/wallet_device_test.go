package server_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// walletDeviceDo sends a request to a ticket's device route with the wallet's header.
func (f *secureFixture) walletDeviceDo(method, ticket, authorization, body string) response {
	f.t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+api.WalletDevicePath(ticket), strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return f.send(req)
}

// TestWalletDeviceAPI: the page reads its ticket's phone (none yet, with the ledger's
// clock), registers its key (201, the codes' prefix), reads it back; a code it signs
// admits at the gate. Without the link's token 401; a malformed key, a PDF-format
// ticket's id, another sale's or a malformed ticket id are refused in words.
func TestWalletDeviceAPI(t *testing.T) {
	f := newSecureFixture(t)
	id := ledger.TicketID{Contract: f.addr, Sale: 1, Index: 0}.String() // 1A
	auth := "Wallet " + f.token
	var st api.WalletDevice
	f.walletDeviceDo("GET", id, auth, "").want(t, http.StatusOK, &st)
	if st.PublicKey != "" || st.Device != 0 || st.Now != f.clock.Now().UnixMilli() || st.CodePrefix != ledger.RotatingPrefix+f.addr+".1A." {
		t.Errorf("before any phone: %+v", st)
	}
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	spki, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	var reg api.WalletDevice
	f.walletDeviceDo("POST", id, auth, `{"publicKey":"`+hex.EncodeToString(spki)+`"}`).want(t, http.StatusCreated, &reg)
	if reg.Device != 1 || reg.Replaced || reg.TransactionHash == "" || reg.CodePrefix != st.CodePrefix {
		t.Errorf("registered: %+v", reg)
	}
	f.walletDeviceDo("GET", id, auth, "").want(t, http.StatusOK, &st)
	if st.PublicKey != hex.EncodeToString(spki) || st.Device != 1 {
		t.Errorf("after registering: %+v", st)
	}
	code, err := ledger.SignRotatingCode(key, f.addr, ledger.Seat{Number: 1, Letter: "A"}, ledger.RotatingStepAt(f.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if res := f.admitOne(f.addr, code.Text(), "North"); res.Status != ledger.StatusAdmitted {
		t.Errorf("a code the phone signed: %+v", res)
	}
	wantWalletRefused(t, f.walletDeviceDo("POST", id, "", `{"publicKey":"`+hex.EncodeToString(spki)+`"}`))
	wantWalletRefused(t, f.walletDeviceDo("GET", id, "Bearer "+f.shop, ""))
	for _, tc := range []struct{ ticket, body, code, words string }{
		{id, `{"publicKey":"zz"}`, "invalid", "public key in hex"},
		{id, `{"publicKey":"` + hex.EncodeToString(spki[:40]) + `"}`, "invalid", "P-256"},
		{ledger.TicketID{Contract: f.addr, Sale: 2, Index: 0}.String(), `{"publicKey":"` + hex.EncodeToString(spki) + `"}`, "refused", "not one of this wallet's tickets"},
		{ledger.TicketID{Contract: f.addr, Sale: 1, Index: 1}.String(), `{"publicKey":"` + hex.EncodeToString(spki) + `"}`, "refused", "not one of this wallet's tickets"}, // 1B, unsold
		{"not-an-id", `{}`, "invalid", ""},
	} {
		var e api.ErrorResponse
		f.walletDeviceDo("POST", tc.ticket, auth, tc.body).want(t, http.StatusBadRequest, &e)
		if e.Code != tc.code || !strings.Contains(e.Error, tc.words) {
			t.Errorf("POST %s %s: %+v, want %s %q", tc.ticket, tc.body, e, tc.code, tc.words)
		}
	}
	var e api.ErrorResponse
	f.walletDeviceDo("POST", id, auth, `{"publicKey":"`+hex.EncodeToString(spki)+`"}`).want(t, http.StatusConflict, &e)
	if !strings.Contains(e.Error, "used at the gate") {
		t.Errorf("registering an admitted ticket: %+v", e)
	}
}
