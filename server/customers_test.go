package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// seedPersonBody is seed 003's person in this API's camelCase.
const seedPersonBody = `{"salutation":"m","firstName":"Tom","lastName":"Tomson","email":"tom@tomsons.com",
	"phone":"+41 31 555 01 02","company":"Tomsons AG","locale":"de-CH",
	"address":{"country":"CH","address1":"Testweg 10","address2":"Postfach 7","zip":"3000","city":"Bern"}}`

// seedPersonFields are its personal fields, which no log line or public route may show.
var seedPersonFields = []string{"Tomson", "tom@tomsons.com", "+41 31 555 01 02", "Tomsons AG", "de-CH",
	"Testweg 10", "Postfach 7", `"3000"`, "Bern"}

// createCustomer posts seed 003's person as the key and returns the customer.
func (e *env) createCustomer(t *testing.T, key string) ledger.Customer {
	t.Helper()
	var c ledger.Customer
	resp := e.do("POST", api.CustomersPath, key, seedPersonBody)
	resp.want(t, http.StatusCreated, &c)
	if loc := resp.header.Get("Location"); loc != api.CustomerPath(c.ID, "") || c.ID <= 0 {
		t.Fatalf("Location %q for customer %d, want %s", loc, c.ID, api.CustomerPath(c.ID, ""))
	}
	return c
}

// TestCustomerRoutes runs a customer through every route: created, read, changed, found,
// exported and erased, the JSON in camelCase.
func TestCustomerRoutes(t *testing.T) {
	e := newEnv(t)
	c := e.createCustomer(t, e.shop)
	resp := e.do("GET", api.CustomerPath(c.ID, ""), e.shop, "")
	var got ledger.Customer
	resp.want(t, http.StatusOK, &got)
	for _, member := range []string{`"firstName":"Tom"`, `"lastName":"Tomson"`, `"address1":"Testweg 10"`, `"createdBy":"key:3"`} {
		if !strings.Contains(string(resp.body), member) {
			t.Errorf("GET customer answers %s, want %s in it", resp.body, member)
		}
	}
	e.do("PATCH", api.CustomerPath(c.ID, ""), e.shop, `{"address":{"city":"Thun"}}`).want(t, http.StatusOK, &got)
	if got.Address.City != "Thun" || got.Address.Zip != "3000" || got.LastName != "Tomson" {
		t.Errorf("PATCH answered %+v, want the city alone changed", got)
	}
	var found []ledger.Customer
	e.do("GET", api.CustomersPath+"?email="+url.QueryEscape("TOM@tomsons.com"), e.shop, "").want(t, http.StatusOK, &found)
	if len(found) != 1 || found[0].ID != c.ID {
		t.Errorf("search by e-mail = %+v", found)
	}
	e.do("GET", api.CustomersPath+"?name=tomson&limit=5", e.shop, "").want(t, http.StatusOK, &found)
	if len(found) != 1 {
		t.Errorf("search by name = %+v", found)
	}
	customerPages(t, e)
	var ex ledger.CustomerExport
	e.do("GET", api.CustomerPath(c.ID, "export"), e.shop, "").want(t, http.StatusOK, &ex)
	if ex.Customer.Address.City != "Thun" || len(ex.Transactions) != 2 {
		t.Errorf("export = %+v", ex)
	}
	e.do("POST", api.CustomerPath(c.ID, "erase"), e.shop, "").want(t, http.StatusOK, &got)
	if !got.Erased || got.LastName != "" || got.ID != c.ID {
		t.Errorf("erase answered %+v", got)
	}
	e.do("PATCH", api.CustomerPath(c.ID, ""), e.shop, `{"phone":"1"}`).wantError(t, http.StatusConflict, ledger.ECONFLICT)
}

// customerPages adds a second customer of the same e-mail address and reads the search a
// customer a page: the total in X-Total-Count, the next page in Link, none after the last.
func customerPages(t *testing.T, e *env) {
	t.Helper()
	e.createCustomer(t, e.shop)
	search := api.CustomersPath + "?email=tom@tomsons.com&limit=1"
	var page []ledger.Customer
	first := e.do("GET", search, e.shop, "")
	first.want(t, http.StatusOK, &page)
	next := api.NextCursor(first.header)
	if len(page) != 1 || first.header.Get(api.TotalCountHeader) != "2" || next == "" {
		t.Fatalf("first page %+v, X-Total-Count %q, Link %q: want 1 of 2 and a next page", page, first.header.Get(api.TotalCountHeader), first.header.Get("Link"))
	}
	last := e.do("GET", search+"&cursor="+next, e.shop, "")
	var rest []ledger.Customer
	last.want(t, http.StatusOK, &rest)
	if len(rest) != 1 || rest[0].ID <= page[0].ID || last.header.Get("Link") != "" || last.header.Get(api.TotalCountHeader) != "2" {
		t.Errorf("last page %+v, Link %q: want the other customer and no next page", rest, last.header.Get("Link"))
	}
	e.do("GET", search+"&cursor="+api.Cursor("tickets", "1"), e.shop, "").wantError(t, http.StatusBadRequest, ledger.EINVALID)
	e.do("GET", search+"&cursor="+api.Cursor(api.CustomerList, "x"), e.shop, "").wantError(t, http.StatusBadRequest, ledger.EINVALID)
}

// TestCustomerRoutesRefused: bad bodies, ids and queries are 400 in words, strangers'
// customers 404, scanner keys 403 and requests without a key 401.
func TestCustomerRoutesRefused(t *testing.T) {
	e := newEnv(t)
	c := e.createCustomer(t, e.alice)
	one := api.CustomerPath(c.ID, "")
	for _, r := range []struct{ method, path, key, body string }{
		{"POST", api.CustomersPath, e.shop, `{"first_name":"Tom","lastName":"Tomson"}`},
		{"POST", api.CustomersPath, e.shop, `{"id":7,"lastName":"Tomson"}`},
		{"POST", api.CustomersPath, e.shop, `{"lastName":"Tomson","address":{"country":"Swiss"}}`},
		{"POST", api.CustomersPath, e.shop, `{"lastName":"Tomson","email":"tom"}`},
		{"POST", api.CustomersPath, e.shop, `[]`},
		{"POST", api.CustomersPath, e.shop, ``},
		{"PATCH", one, e.alice, `{}`},
		{"PATCH", one, e.alice, `{"lastName":7}`},
		{"GET", api.CustomersPath + "/abc", e.shop, ``},
		{"GET", api.CustomersPath + "/-3", e.shop, ``},
		{"GET", api.CustomersPath, e.shop, ``},
		{"GET", api.CustomersPath + "?name=Tom&limit=x", e.shop, ``},
		{"GET", api.CustomersPath + "?name=Tom&limit=100000", e.shop, ``},
	} {
		t.Run(r.method+" "+r.path+" "+r.body, func(t *testing.T) {
			e.do(r.method, r.path, r.key, r.body).wantError(t, http.StatusBadRequest, ledger.EINVALID)
		})
	}
	e.do("GET", one, e.bob, "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	e.do("GET", api.CustomerPath(c.ID+1, "export"), e.shop, "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	e.do("POST", api.CustomerPath(c.ID, "erase"), e.bob, "").wantError(t, http.StatusNotFound, ledger.ENOTFOUND)
	e.do("GET", one, e.gate, "").wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("POST", api.CustomersPath, e.gate, seedPersonBody).wantError(t, http.StatusForbidden, ledger.EFORBIDDEN)
	e.do("GET", one, "", "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	e.do("POST", api.CustomersPath, "", seedPersonBody).wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
	e.do("GET", api.CustomersPath+"?email=tom@tomsons.com", "", "").wantError(t, http.StatusUnauthorized, ledger.EUNAUTHORIZED)
}

// TestCustomerDataNeverLoggedNorPublic creates, finds, changes and exports a customer and
// checks that neither the request log nor the journal's receipts, which are public, hold
// any of the customer's fields.
func TestCustomerDataNeverLoggedNorPublic(t *testing.T) {
	e := newEnv(t)
	c := e.createCustomer(t, e.shop)
	e.do("GET", api.CustomersPath+"?email=tom@tomsons.com", e.shop, "").want(t, http.StatusOK, nil)
	e.do("GET", api.CustomersPath+"?name=Tomson", e.shop, "").want(t, http.StatusOK, nil)
	e.do("PATCH", api.CustomerPath(c.ID, ""), e.shop, `{"address":{"address1":"Testweg 10"}}`).want(t, http.StatusOK, nil)
	e.do("POST", api.CustomersPath, e.shop, strings.Replace(seedPersonBody, `"CH"`, `"Bern"`, 1)).want(t, http.StatusBadRequest, nil)
	var ex ledger.CustomerExport
	e.do("GET", api.CustomerPath(c.ID, "export"), e.shop, "").want(t, http.StatusOK, &ex)
	if len(ex.Transactions) != 2 {
		t.Fatalf("export holds %d transactions, want 2", len(ex.Transactions))
	}
	public := ""
	for _, tx := range ex.Transactions {
		resp := e.do("GET", api.ReceiptsPath+tx.TransactionHash, "", "")
		resp.want(t, http.StatusOK, nil)
		public += string(resp.body)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, api.CustomersPath) || !strings.Contains(public, ledger.TxCustomerCreated) {
		t.Fatalf("the capture does not work: log %s\nreceipts %s", logs, public)
	}
	for _, field := range seedPersonFields {
		if strings.Contains(logs, field) {
			t.Errorf("the request log holds the customer's %q:\n%s", field, logs)
		}
		if strings.Contains(public, field) {
			t.Errorf("the public receipts hold the customer's %q:\n%s", field, public)
		}
	}
}

// TestCustomerCreateIdempotent: a retry of a customer's creation with the same
// Idempotency-Key answers the first customer again and records no second one.
func TestCustomerCreateIdempotent(t *testing.T) {
	e := newEnv(t)
	first := e.idem("POST", api.CustomersPath, e.shop, "customer-1", seedPersonBody)
	var c ledger.Customer
	first.want(t, http.StatusCreated, &c)
	again := e.idem("POST", api.CustomersPath, e.shop, "customer-1", seedPersonBody)
	var d ledger.Customer
	again.want(t, http.StatusCreated, &d)
	if d.ID != c.ID || again.header.Get("Location") != api.CustomerPath(c.ID, "") {
		t.Errorf("retry answered customer %d at %q, want customer %d again", d.ID, again.header.Get("Location"), c.ID)
	}
	var found []ledger.Customer
	e.do("GET", api.CustomersPath+"?email=tom@tomsons.com", e.shop, "").want(t, http.StatusOK, &found)
	if len(found) != 1 {
		t.Errorf("%d customers after a retried creation, want 1", len(found))
	}
	e.idem("POST", api.CustomersPath, e.shop, "customer-1", `{"lastName":"Other"}`).wantError(t, http.StatusConflict, ledger.ECONFLICT)
}
