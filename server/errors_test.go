package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// writeRoutes are the contract routes that change it, each with a body that would be
// accepted on a contract without a sale.
var writeRoutes = []struct{ route, body string }{
	{"TicketReleaseFee", `{"fee":5}`},
	{"NoReleaseBlocks", `{"count":5}`},
	{"IdentityVerificationPolicy", `{"requireIdentityVerification":true}`},
	{"BeginSale", `{"seatPrices":[{"seat":{"number":1,"letter":"A"},"price":1}],"details":{"name":"n","organiser":"o","time":4102444800,"endOfSale":1000000}}`},
	{"EndSale", `{}`},
}

var readRoutes = []string{"", "Tickets", "TicketReleaseFee", "NoReleaseBlocks", "IdentityVerificationPolicy"}

func TestBadBodies(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"},{"number":1,"letter":"B"}]`)
	sale := func(prices, details string) string {
		return `{"seatPrices":` + prices + `,"details":` + details + `}`
	}
	good := `[{"seat":{"number":1,"letter":"A"},"price":1},{"seat":{"number":1,"letter":"B"},"price":2}]`
	details := `{"name":"n","organiser":"o","time":4102444800,"endOfSale":1000000}`
	tests := []struct{ name, route, body string }{
		{"CreateEmpty", "", ""},
		{"CreateSpaces", "", "   "},
		{"CreateNotJSON", "", "venue=Hall"},
		{"CreateTruncated", "", `{"venue":"Hall","seats":[{"number":1`},
		{"CreateArray", "", `[]`},
		{"CreateNull", "", `null`},
		{"CreateTwoValues", "", `{"venue":"Hall","seats":[{"number":1}]} {"venue":"x"}`},
		{"CreateSeatsString", "", `{"venue":"Hall","seats":"1A"}`},
		{"CreateNumberString", "", `{"venue":"Hall","seats":[{"number":"1","letter":"A"}]}`},
		{"CreateNumberFraction", "", `{"venue":"Hall","seats":[{"number":1.5,"letter":"A"}]}`},
		{"CreateNumberHuge", "", `{"venue":"Hall","seats":[{"number":1e40,"letter":"A"}]}`},
		{"CreateNegativeSeat", "", `{"venue":"Hall","seats":[{"number":-1,"letter":"A"}]}`},
		{"CreateBadLetter", "", `{"venue":"Hall","seats":[{"number":1,"letter":"1"}]}`},
		{"CreateEmptySeat", "", `{"venue":"Hall","seats":[{"number":0,"letter":""}]}`},
		{"CreateDuplicate", "", `{"venue":"Hall","seats":[{"number":1,"letter":"A"},{"number":1,"letter":"A"}]}`},
		{"CreateNoVenue", "", `{"seats":[{"number":1,"letter":"A"}]}`},
		{"CreateNoSeats", "", `{"venue":"Hall","seats":[]}`},
		{"CreateVenueNumber", "", `{"venue":5,"seats":[{"number":1}]}`},
		{"FeeEmpty", "TicketReleaseFee", ""},
		{"FeeMissing", "TicketReleaseFee", `{}`},
		{"FeeNull", "TicketReleaseFee", `{"fee":null}`},
		{"FeeString", "TicketReleaseFee", `{"fee":"5"}`},
		{"FeeFraction", "TicketReleaseFee", `{"fee":1.5}`},
		{"FeeHuge", "TicketReleaseFee", `{"fee":1e30}`},
		{"FeeNegative", "TicketReleaseFee", `{"fee":-1}`},
		{"FeeTooLarge", "TicketReleaseFee", `{"fee":1000000000001}`},
		{"FeeNotJSON", "TicketReleaseFee", `{fee:5}`},
		{"CountMissing", "NoReleaseBlocks", `{"fee":5}`},
		{"CountNegative", "NoReleaseBlocks", `{"count":-1}`},
		{"CountBool", "NoReleaseBlocks", `{"count":true}`},
		{"CountOverflow", "NoReleaseBlocks", `{"count":9223372036854775808}`},
		{"PolicyString", "IdentityVerificationPolicy", `{"requireIdentityVerification":"yes"}`},
		{"PolicyNumber", "IdentityVerificationPolicy", `{"requireIdentityVerification":1}`},
		{"PolicyMissing", "IdentityVerificationPolicy", `{"require":true}`},
		// The original answered 500 to a BeginSale without details.
		{"SaleNoDetails", "BeginSale", `{"seatPrices":` + good + `}`},
		{"SaleNullDetails", "BeginSale", sale(good, `null`)},
		{"SaleDetailsArray", "BeginSale", sale(good, `[]`)},
		{"SaleEmpty", "BeginSale", ""},
		{"SaleNoPrices", "BeginSale", `{"details":` + details + `}`},
		{"SaleEmptyPrices", "BeginSale", sale(`[]`, details)},
		{"SaleDuplicate", "BeginSale", sale(`[{"seat":{"number":1,"letter":"A"},"price":1},{"seat":{"number":1,"letter":"A"},"price":1}]`, details)},
		{"SaleMissingSeat", "BeginSale", sale(`[{"seat":{"number":1,"letter":"A"},"price":1}]`, details)},
		{"SaleUnknownSeat", "BeginSale", sale(`[{"seat":{"number":1,"letter":"A"},"price":1},{"seat":{"number":9,"letter":"Z"},"price":1}]`, details)},
		{"SaleExtraSeat", "BeginSale", sale(good[:len(good)-1]+`,{"seat":{"number":9},"price":1}]`, details)},
		{"SalePriceString", "BeginSale", sale(`[{"seat":{"number":1,"letter":"A"},"price":"1"},{"seat":{"number":1,"letter":"B"},"price":2}]`, details)},
		{"SaleNegativePrice", "BeginSale", sale(`[{"seat":{"number":1,"letter":"A"},"price":-1},{"seat":{"number":1,"letter":"B"},"price":2}]`, details)},
		{"SaleNoName", "BeginSale", sale(good, `{"organiser":"o","time":4102444800,"endOfSale":1000000}`)},
		{"SaleNoOrganiser", "BeginSale", sale(good, `{"name":"n","time":4102444800,"endOfSale":1000000}`)},
		{"SaleTimePast", "BeginSale", sale(good, `{"name":"n","organiser":"o","time":1000,"endOfSale":1000000}`)},
		{"SaleEndNow", "BeginSale", sale(good, `{"name":"n","organiser":"o","time":4102444800,"endOfSale":0}`)},
		{"SaleEndString", "BeginSale", sale(good, `{"name":"n","organiser":"o","time":4102444800,"endOfSale":"soon"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := api.ContractPath(addr, tt.route)
			if tt.route == "" {
				path = api.Base
			}
			code := ledger.EINVALID // malformed; a well-formed body the rules refuse is EREFUSED, also 400
			if tt.name == "SaleExtraSeat" || tt.name == "SaleTimePast" || tt.name == "SaleEndNow" {
				code = ledger.EREFUSED
			}
			e.do("POST", path, e.alice, tt.body).wantError(t, http.StatusBadRequest, code)
		})
	}
	var c ledger.Contract
	e.do("GET", api.ContractPath(addr, ""), "", "").want(t, http.StatusOK, &c)
	if c.Rules != (ledger.Rules{}) || c.Sale != nil {
		t.Errorf("refused requests changed the contract: %+v", c)
	}
}

// TestHugeBody sends more than the server reads: a 400, not a 500 or a dropped connection.
func TestHugeBody(t *testing.T) {
	e := newEnv(t)
	body := `{"venue":"` + strings.Repeat("v", 33<<20) + `","seats":[{"number":1}]}`
	e.do("POST", api.Base, e.alice, body).wantError(t, http.StatusBadRequest, ledger.EINVALID)
}

// TestLargeVenueBody is a big but allowed body: no 65-seat cap.
func TestLargeVenueBody(t *testing.T) {
	e := newEnv(t)
	var b strings.Builder
	b.WriteString(`{"venue":"Arena","seats":[`)
	for n := 1; n <= 2000; n++ {
		if n > 1 {
			b.WriteByte(',')
		}
		b.WriteString(`{"number":` + itoa(int64(n)) + `,"letter":"A"}`)
	}
	b.WriteString(`]}`)
	var out api.CreateContractResponse
	e.do("POST", "/api/ticketbooth", e.alice, b.String()).want(t, http.StatusCreated, &out)
	var c ledger.Contract
	e.do("GET", api.ContractPath(out.Address, ""), "", "").want(t, http.StatusOK, &c)
	if c.SeatCount != 2000 {
		t.Errorf("seat count %d, want 2000", c.SeatCount)
	}
}

func TestBadAddress(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"}]`)
	bad := map[string]string{
		"Short":    "CGTta3M4t3y",
		"Checksum": flipLast(addr),
		"Alphabet": "0x" + strings.Repeat("0", 40),
		"Escaped":  "C%2FGTta3M4t3yXu8uRgkKvaWd2d8DQvDPnp",
	}
	for name, a := range bad {
		for _, route := range readRoutes {
			t.Run(name+"/GET"+route, func(t *testing.T) {
				e.do("GET", api.ContractPath(a, route), "", "").wantError(t, http.StatusBadRequest, ledger.EINVALID)
			})
		}
		for _, w := range writeRoutes {
			t.Run(name+"/POST"+w.route, func(t *testing.T) {
				e.do("POST", api.ContractPath(a, w.route), e.alice, w.body).wantError(t, http.StatusBadRequest, ledger.EINVALID)
			})
		}
	}
	for _, hash := range []string{"abc", strings.Repeat("g", 64), strings.Repeat("a", 65)} {
		e.do("GET", api.ReceiptsPath+hash, "", "").wantError(t, http.StatusBadRequest, ledger.EINVALID)
	}
}

func TestNotFound(t *testing.T) {
	e := newEnv(t)
	unknown, _ := ledger.NewAddress()
	for _, route := range readRoutes {
		t.Run("GET"+route, func(t *testing.T) {
			e.do("GET", api.ContractPath(unknown, route), "", "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
		})
	}
	for _, w := range writeRoutes {
		t.Run("POST"+w.route, func(t *testing.T) {
			e.do("POST", api.ContractPath(unknown, w.route), e.alice, w.body).wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
		})
	}
	e.do("GET", api.ReceiptsPath+strings.Repeat("ab", 32), "", "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	// Routes that do not exist: a 404 or 405 with words, never a 5xx.
	for _, r := range []struct{ method, path string }{
		{"GET", "/api/v1.0/nothing"}, {"GET", api.ContractPath(unknown, "Nothing")}, {"DELETE", api.ContractPath(unknown, "")},
		{"GET", api.ContractPath(unknown, "BeginSale")}, {"PUT", api.Base},
	} {
		resp := e.do(r.method, r.path, "", "")
		if resp.status != http.StatusNotFound && resp.status != http.StatusMethodNotAllowed || len(strings.TrimSpace(string(resp.body))) == 0 {
			t.Errorf("%s %s: %d %q, want 404 or 405 with a message", r.method, r.path, resp.status, resp.body)
		}
	}
}

func TestUnauthorized(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"}]`)
	headers := map[string]string{
		"NoKey":      "",
		"UnknownKey": "Bearer tb_unknown_key_0000000000000000",
		"EmptyKey":   "Bearer ",
		"Basic":      "Basic YWxpY2U6cGFzc3dvcmQ=",
		"RawKey":     e.alice,
	}
	for name, h := range headers {
		t.Run(name+"/Create", func(t *testing.T) {
			e.doHeader("POST", api.Base, h, `{"venue":"Hall","seats":[{"number":1}]}`).wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
		})
		for _, w := range writeRoutes {
			t.Run(name+"/"+w.route, func(t *testing.T) {
				e.doHeader("POST", api.ContractPath(addr, w.route), h, w.body).wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
			})
		}
		t.Run(name+"/Verify", func(t *testing.T) {
			e.doHeader("POST", api.VerifyPath, h, "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
		})
	}
	// A key that is sent is checked even on reads; no key at all reads fine.
	e.doHeader("GET", api.ContractPath(addr, "Tickets"), headers["UnknownKey"], "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	for _, key := range []string{"", e.gate, e.shop, e.bob} {
		for _, route := range readRoutes {
			e.do("GET", api.ContractPath(addr, route), key, "").want(t, http.StatusOK, nil)
		}
		e.do("GET", api.LedgerPath, key, "").want(t, http.StatusOK, nil)
	}
	var c ledger.Contract
	e.do("GET", api.ContractPath(addr, ""), "", "").want(t, http.StatusOK, &c)
	if c.Rules != (ledger.Rules{}) || c.Sale != nil {
		t.Errorf("refused requests changed the contract: %+v", c)
	}
}

func TestForbidden(t *testing.T) {
	e := newEnv(t)
	addr := e.create(`[{"number":1,"letter":"A"}]`)
	for name, key := range map[string]string{"BoxOffice": e.shop, "Scanner": e.gate, "OtherOrganizer": e.bob} {
		if name != "OtherOrganizer" {
			t.Run(name+"/Create", func(t *testing.T) {
				e.do("POST", api.Base, key, `{"venue":"Hall","seats":[{"number":1}]}`).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
			})
		}
		for _, w := range writeRoutes {
			t.Run(name+"/"+w.route, func(t *testing.T) {
				e.do("POST", api.ContractPath(addr, w.route), key, w.body).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
			})
		}
	}
	// Bob may manage his own contract.
	var out api.CreateContractResponse
	e.do("POST", api.Base, e.bob, `{"venue":"Bob's","seats":[{"number":1,"letter":"A"}]}`).want(t, http.StatusCreated, &out)
	for _, w := range writeRoutes[:4] {
		e.do("POST", api.ContractPath(out.Address, w.route), e.bob, w.body).want(t, http.StatusCreated, nil)
	}
}

// doHeader sends a request with the Authorization header exactly as given.
func (e *env) doHeader(method, path, authorization, body string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return e.send(req)
}

// flipLast changes the last character of an address to another of the alphabet.
func flipLast(addr string) string {
	last := addr[len(addr)-1]
	if last == '2' {
		return addr[:len(addr)-1] + "3"
	}
	return addr[:len(addr)-1] + "2"
}
