package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestWalletMembersIgnoredAndNeverLogged sends the wallet members a Ticketbooth client
// adds (password included) with every write, good and bad, and checks the writes work and
// neither the password nor an API key reaches the log.
func TestWalletMembersIgnoredAndNeverLogged(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"}]`)
	w := e.wallet()
	requests := []struct {
		path, body string
		status     int
	}{
		{api.ContractPath(addr, "TicketReleaseFee"), `{"fee":3,` + w + `}`, http.StatusCreated},
		{api.ContractPath(addr, "NoReleaseBlocks"), `{"count":2,` + w + `}`, http.StatusCreated},
		{api.ContractPath(addr, "IdentityVerificationPolicy"), `{"requireIdentityVerification":true,` + w + `}`, http.StatusCreated},
		{api.ContractPath(addr, "BeginSale"), strings.Replace(e.saleBody(`[{"seat":{"number":1,"letter":"A"},"price":9}]`, 1), `"details"`, `"password":"`+e.password+`","details"`, 1), http.StatusCreated},
		{api.ContractPath(addr, "TicketReleaseFee"), `{"fee":"` + e.password + `",` + w + `}`, http.StatusBadRequest},
		{api.ContractPath(addr, "TicketReleaseFee"), `{"fee":4,` + w + `}`, http.StatusConflict},
		{api.ContractPath(addr, "EndSale"), `{` + w + `}`, http.StatusConflict},
		{api.Base, `{"venue":"Hall",` + w + `}`, http.StatusBadRequest},
		{api.Base, `{"venue":"Hall","seats":[{"number":1,"letter":"A","password":"` + e.password + `"}],` + w + `}`, http.StatusCreated},
	}
	for _, r := range requests {
		resp := e.do("POST", r.path, e.alice, r.body)
		if resp.status != r.status {
			t.Errorf("POST %s: %d %s, want %d", r.path, resp.status, resp.body, r.status)
		}
		if strings.Contains(string(resp.body), e.password) {
			t.Errorf("answer to POST %s echoes the password: %s", r.path, resp.body)
		}
	}
	// A wrong key and a key of another role, sent as Ticketbooth clients send passwords.
	e.do("POST", api.ContractPath(addr, "EndSale"), "tb_"+e.password, `{}`).wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	e.do("POST", api.ContractPath(addr, "EndSale"), e.gate, `{}`).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)

	var c ledger.Contract
	e.do("GET", api.ContractPath(addr, ""), "", "").want(t, http.StatusOK, &c)
	if c.Rules != (ledger.Rules{ReleaseFee: 3, NoReleaseBlocks: 2, RequireIdentityVerification: true}) || c.Sale == nil {
		t.Errorf("contract %+v: the writes with wallet members did not all take effect", c)
	}

	logs := e.logs.String()
	if n := strings.Count(logs, `"msg":"request"`); n < len(requests)+2 {
		t.Fatalf("the log holds %d request lines, want at least %d: the capture does not work:\n%s", n, len(requests)+2, logs)
	}
	for name, secret := range map[string]string{"password": e.password, "organizer key": e.alice, "scanner key": e.gate} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds the %s:\n%s", name, logs)
		}
	}
	for _, member := range []string{"walletName", "accountName", "gasPrice", "outpoints"} {
		if strings.Contains(logs, member) {
			t.Errorf("the log mentions %s", member)
		}
	}
	// Every line is a structured record with method, path and status.
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %s", line)
			continue
		}
		if rec["msg"] == "request" && (rec["method"] == nil || rec["path"] == nil || rec["status"] == nil) {
			t.Errorf("request line without method, path or status: %s", line)
		}
	}
}

// TestNoServerErrorOnGarbage throws malformed bodies at every write route with every kind
// of key: never a 5xx, always a JSON error with words.
func TestNoServerErrorOnGarbage(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"}]`)
	bodies := []string{"", "{", "}", "[", "null", "0", `"x"`, "{}", "[]", "{}{}", `{"a":` + strings.Repeat("[", 10000),
		"\x00\x01\x02", "\xff\xfe", `{"seatPrices":{},"details":{}}`, `{"details":{"time":-1e300}}`, `{"fee":1e400}`,
		`{"seats":[null],"venue":null}`, `{"seatPrices":[null],"details":{"name":"n","organiser":"o","time":4102444800,"endOfSale":100}}`}
	paths := []string{api.Base, "/api/ticketbooth", api.VerifyPath}
	for _, w := range writeRoutes {
		paths = append(paths, api.ContractPath(addr, w.route))
	}
	for _, key := range []string{e.alice, e.bob, e.shop, ""} {
		for _, p := range paths {
			for _, b := range bodies {
				r := e.do("POST", p, key, b)
				if r.status >= 500 {
					t.Errorf("POST %s %q: %d %s", p, b, r.status, r.body)
				}
				if r.status >= 400 {
					var er api.ErrorResponse
					if json.Unmarshal(r.body, &er) != nil || er.Code == "" {
						t.Errorf("POST %s %q: %d without a JSON error: %s", p, b, r.status, r.body)
					} else {
						checkSentence(t, er.Error)
					}
				}
			}
		}
	}
}
