package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestCreateContract(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{api.Base, "/api/ticketbooth"} {
		t.Run(strings.ReplaceAll(path, "/", "_"), func(t *testing.T) {
			body := `{"venue":"Ticketbooth Theatre","seats":[{"number":1,"letter":"A"},{"number":1,"letter":"B"},{"number":2,"letter":""}],` + e.wallet() + `}`
			r := e.do("POST", path, e.alice, body)
			var out api.CreateContractResponse
			r.want(t, http.StatusCreated, &out)
			if got := members(t, r.body); !slices.Equal(got, []string{"address", "transactionHash"}) {
				t.Errorf("members %v, want address and transactionHash", got)
			}
			if err := ledger.ValidateAddress(out.Address); err != nil || len(out.TransactionHash) != 64 {
				t.Fatalf("answer %+v: %v", out, err)
			}
			if loc := r.header.Get("Location"); loc != api.Base+"/"+out.Address {
				t.Errorf("Location %q, want %s/%s", loc, api.Base, out.Address)
			}
			var c ledger.Contract
			e.do("GET", r.header.Get("Location"), "", "").want(t, http.StatusOK, &c)
			if c.Address != out.Address || c.Venue != "Ticketbooth Theatre" || c.SeatCount != 3 || c.Sale != nil {
				t.Errorf("contract %+v", c)
			}
			var rc ledger.Receipt
			e.do("GET", api.ReceiptsPath+out.TransactionHash, "", "").want(t, http.StatusOK, &rc)
			if rc.TransactionHash != out.TransactionHash || rc.Kind != ledger.TxContractCreated || rc.Contract != out.Address {
				t.Errorf("receipt %+v", rc)
			}
		})
	}
}

func TestTickets(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"},{"number":1,"letter":"B"},{"number":0,"letter":"C"}]`)
	r := e.do("GET", api.ContractPath(addr, "Tickets"), "", "")
	var raw []json.RawMessage
	r.want(t, http.StatusOK, &raw)
	if len(raw) != 3 {
		t.Fatalf("%d tickets, want 3: %s", len(raw), r.body)
	}
	want := []string{"address", "customerIdentifier", "price", "seat", "secret"}
	seats := []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 1, Letter: "B"}, {Letter: "C"}}
	for i, one := range raw {
		if got := members(t, one); !slices.Equal(got, want) {
			t.Errorf("ticket members %v, want %v", got, want)
		}
		var tk ledger.Ticket
		if err := json.Unmarshal(one, &tk); err != nil {
			t.Fatal(err)
		}
		if tk.Seat != seats[i] || tk.Address != "CGTta3M4t3yXu8uRgkKvaWd2d8DQvDPnpL" || tk.Price != 0 || tk.Secret != "" || tk.CustomerIdentifier != "" {
			t.Errorf("ticket %d = %+v, want %s available", i, tk, seats[i])
		}
	}
	// A seat shows as {number, letter} exactly, as Ticketbooth clients read it.
	if !strings.Contains(string(raw[0]), `"seat":{"number":1,"letter":"A"}`) {
		t.Errorf("seat not shown as {number, letter}: %s", raw[0])
	}
}

func TestRules(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"}]`)
	rules := []struct {
		route, member, value, zero string
	}{
		{"TicketReleaseFee", "fee", "25", "0"},
		{"NoReleaseBlocks", "count", "7", "0"},
		{"IdentityVerificationPolicy", "requireIdentityVerification", "true", "false"},
	}
	for _, rl := range rules {
		t.Run(rl.route, func(t *testing.T) {
			path := api.ContractPath(addr, rl.route)
			r := e.do("GET", path, "", "")
			r.want(t, http.StatusOK, nil)
			if got := strings.TrimSpace(string(r.body)); got != rl.zero { // the bare value, as Ticketbooth answers
				t.Errorf("GET %s = %s, want the default %s", rl.route, got, rl.zero)
			}
			var tx api.TransactionResponse
			r = e.do("POST", path, e.alice, `{"`+rl.member+`":`+rl.value+`,`+e.wallet()+`}`)
			r.want(t, http.StatusCreated, &tx)
			if len(tx.TransactionHash) != 64 || !slices.Equal(members(t, r.body), []string{"transactionHash"}) {
				t.Errorf("POST %s answered %s", rl.route, r.body)
			}
			r = e.do("GET", path, "", "")
			r.want(t, http.StatusOK, nil)
			if got := strings.TrimSpace(string(r.body)); got != rl.value {
				t.Errorf("GET %s after setting = %s, want %s", rl.route, got, rl.value)
			}
			var rc ledger.Receipt
			e.do("GET", api.ReceiptsPath+tx.TransactionHash, "", "").want(t, http.StatusOK, &rc)
			if rc.Kind != ledger.TxRulesSet || rc.Contract != addr {
				t.Errorf("receipt %+v", rc)
			}
		})
	}
	var c ledger.Contract
	e.do("GET", api.ContractPath(addr, ""), "", "").want(t, http.StatusOK, &c)
	if c.Rules != (ledger.Rules{ReleaseFee: 25, NoReleaseBlocks: 7, RequireIdentityVerification: true}) {
		t.Errorf("rules %+v", c.Rules)
	}
}

func TestSale(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"},{"number":1,"letter":"B"}]`)
	// Prices in the other order than the seats: the original took them by position.
	body := e.saleBody(`[{"seat":{"number":1,"letter":"B"},"price":30},{"seat":{"number":1,"letter":"A"},"price":10}]`, 3)
	var tx api.TransactionResponse
	e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, body).want(t, http.StatusCreated, &tx)
	var tickets []ledger.Ticket
	e.do("GET", api.ContractPath(addr, "Tickets"), "", "").want(t, http.StatusOK, &tickets)
	if len(tickets) != 2 || tickets[0].Seat.Letter != "A" || tickets[0].Price != 10 || tickets[1].Price != 30 {
		t.Fatalf("tickets %+v, want 1A at 10 and 1B at 30", tickets)
	}

	t.Run("ErrSaleOpen", func(t *testing.T) {
		for _, route := range []string{"TicketReleaseFee", "NoReleaseBlocks", "IdentityVerificationPolicy"} {
			member := map[string]string{"TicketReleaseFee": `"fee":1`, "NoReleaseBlocks": `"count":1`,
				"IdentityVerificationPolicy": `"requireIdentityVerification":true`}[route]
			e.do("POST", api.ContractPath(addr, route), e.alice, `{`+member+`}`).wantError(t, http.StatusConflict, ledger.ECONFLICT)
		}
		e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, body).wantError(t, http.StatusConflict, ledger.ECONFLICT)
	})

	t.Run("ErrEndTooEarly", func(t *testing.T) {
		e.clock.AdvanceBlocks(2)
		e.do("POST", api.ContractPath(addr, "EndSale"), e.alice, `{`+e.wallet()+`}`).wantError(t, http.StatusConflict, ledger.ECONFLICT)
	})

	e.clock.AdvanceBlocks(1)
	e.do("POST", api.ContractPath(addr, "EndSale"), e.alice, `{`+e.wallet()+`}`).want(t, http.StatusCreated, &tx)
	var rc ledger.Receipt
	e.do("GET", api.ReceiptsPath+tx.TransactionHash, "", "").want(t, http.StatusOK, &rc)
	if rc.Kind != ledger.TxSaleEnded || rc.Height != e.height() {
		t.Errorf("EndSale receipt %+v", rc)
	}
	// EndSale without a body works too, and a second one is refused.
	e.do("POST", api.ContractPath(addr, "EndSale"), e.alice, "").wantError(t, http.StatusConflict, ledger.ECONFLICT)
	e.do("GET", api.ContractPath(addr, "Tickets"), "", "").want(t, http.StatusOK, &tickets)
	if tickets[0].Price != 0 || tickets[1].Price != 0 {
		t.Errorf("tickets after EndSale %+v, want the seats free", tickets)
	}
	// Rules may change again, and a new sale begin.
	e.do("POST", api.ContractPath(addr, "TicketReleaseFee"), e.alice, `{"fee":5}`).want(t, http.StatusCreated, nil)
	e.do("POST", api.ContractPath(addr, "BeginSale"), e.alice, e.saleBody(`[{"seat":{"number":1,"letter":"A"},"price":1},{"seat":{"number":1,"letter":"B"},"price":2}]`, 1)).
		want(t, http.StatusCreated, nil)
}

func TestLedgerInfo(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", api.LedgerPath, "", "")
	r.want(t, http.StatusOK, nil)
	if got := members(t, r.body); !slices.Equal(got, []string{"blockInterval", "genesis", "height", "zeroAddress"}) {
		t.Errorf("members %v", got)
	}
	var info struct {
		Height        int64     `json:"height"`
		BlockInterval string    `json:"blockInterval"`
		Genesis       time.Time `json:"genesis"`
		ZeroAddress   string    `json:"zeroAddress"`
	}
	json.Unmarshal(r.body, &info)
	if info.Height != 0 || info.BlockInterval != "10s" || !info.Genesis.Equal(e.clock.Now()) || info.ZeroAddress != ledger.ZeroAddress {
		t.Errorf("info %+v", info)
	}
	e.clock.AdvanceBlocks(4)
	if h := e.height(); h != 4 {
		t.Errorf("height after 4 blocks = %d", h)
	}
}

func TestVerify(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"}]`)
	var tx api.TransactionResponse
	e.do("POST", api.ContractPath(addr, "TicketReleaseFee"), e.alice, `{"fee":25}`).want(t, http.StatusCreated, &tx)
	e.clock.AdvanceBlocks(2)
	var rep ledger.VerifyReport
	e.do("POST", api.VerifyPath, e.alice, "").want(t, http.StatusOK, &rep)
	if !rep.OK || rep.Transactions != 2 || rep.Blocks != 1 || rep.Head == nil {
		t.Fatalf("Verify = %+v", rep)
	}
	head := *rep.Head
	e.do("POST", api.VerifyPath, e.alice, `{"anchors":[{"height":`+fmt.Sprint(head.Height)+`,"hash":"`+head.Hash+`"}]}`).want(t, http.StatusOK, &rep)
	if !rep.OK {
		t.Errorf("Verify with the head as anchor = %+v", rep)
	}
	e.do("POST", api.VerifyPath, e.alice, `{"anchors":[{"height":`+fmt.Sprint(head.Height+5)+`,"hash":"`+head.Hash+`"}]}`).want(t, http.StatusOK, &rep)
	if rep.OK || len(rep.Problems) != 1 {
		t.Errorf("Verify with an anchor past the chain = %+v, want one problem", rep)
	}
	e.do("POST", api.VerifyPath, e.alice, `{"anchors":[{"height":1,"hash":"nothex"}]}`).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	e.do("POST", api.VerifyPath, e.alice, `{"anchors":"1:ab"}`).wantError(t, http.StatusBadRequest, ledger.EINVALID)
	e.do("POST", api.VerifyPath, "", "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	e.do("POST", api.VerifyPath, e.gate, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)

	tamper(t, e.path, `UPDATE journal SET body = replace(body, '"fee":25', '"fee":0') WHERE hash = '`+tx.TransactionHash+`'`)
	e.do("POST", api.VerifyPath, e.alice, "").want(t, http.StatusOK, &rep)
	if rep.OK || len(rep.Problems) == 0 {
		t.Errorf("Verify after tampering = %+v, want a problem", rep)
	}
}

func TestConcurrentCreates(t *testing.T) {
	e := newEnv(t)
	const n = 16
	addrs := make(chan string, n)
	errs := make(chan string, n)
	for range n {
		go func() {
			req, _ := http.NewRequest("POST", e.srv.URL+api.Base, strings.NewReader(`{"venue":"Hall","seats":[{"number":1,"letter":"A"}]}`))
			req.Header.Set("Authorization", "Bearer "+e.alice)
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				errs <- err.Error()
				return
			}
			defer resp.Body.Close()
			var out api.CreateContractResponse
			if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&out) != nil {
				errs <- resp.Status
				return
			}
			addrs <- out.Address
		}()
	}
	seen := map[string]bool{}
	for range n {
		select {
		case a := <-addrs:
			if seen[a] {
				t.Errorf("address %s given twice", a)
			}
			seen[a] = true
		case msg := <-errs:
			t.Errorf("concurrent create: %s", msg)
		}
	}
}
