package ledgertest

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// person is seed 003's person, with an e-mail address of the case's own, so the cases
// sharing one ledger do not find each other's customers.
func person(t *testing.T) ledger.Customer {
	local := strings.NewReplacer("/", ".", "_", "").Replace(strings.ToLower(t.Name()))
	return ledger.Customer{Salutation: "m", FirstName: "Tom", LastName: "Tomson", Email: local + "@tomsons.com",
		Address: ledger.PostalAddress{Country: "CH", Address1: "Testweg 10", Zip: "3000", City: "Bern"}}
}

// customers returns the party's customers, skipping the case when the backend keeps none.
func customers(t *testing.T, p Party) ledger.Customers {
	t.Helper()
	if p.Customers == nil {
		t.Skip("this backend keeps no customers")
	}
	return p.Customers
}

// createCustomer records c as the party, failing the test on an error.
func createCustomer(t *testing.T, p Party, c ledger.Customer) ledger.Customer {
	t.Helper()
	got, err := customers(t, p).CreateCustomer(p.Ctx, c)
	must(t, err, "CreateCustomer")
	return got
}

func testCustomerCreateAndRead(t *testing.T, b Backend) {
	want := person(t)
	want.Address.Country = "ch" // written in capitals by the ledger
	c := createCustomer(t, b.BoxOffice, want)
	want.Address.Country = "CH"
	if c.ID <= 0 || c.Created.IsZero() || c.CreatedBy == "" || c.Erased {
		t.Fatalf("CreateCustomer = %+v: want an id, a creation time and a creator", c)
	}
	got, err := b.BoxOffice.Customers.Customer(b.BoxOffice.Ctx, c.ID)
	must(t, err, "Customer")
	if got.FirstName != want.FirstName || got.LastName != want.LastName || got.Email != want.Email || got.Address != want.Address {
		t.Errorf("Customer = %+v, want the fields of %+v", got, want)
	}
	if b.Admin.Customers != nil {
		_, err = b.Admin.Customers.Customer(b.Admin.Ctx, c.ID)
		must(t, err, "Customer as the administrator")
	}
	_, err = b.Organizer.Customers.Customer(b.Organizer.Ctx, c.ID)
	wantCode(t, err, ledger.ENOTFOUND, "an organizer reading the box office's customer")
	_, err = b.BoxOffice.Customers.Customer(b.BoxOffice.Ctx, c.ID+1)
	wantCode(t, err, ledger.ENOTFOUND, "Customer of an unknown id")
}

func testCustomerRefused(t *testing.T, b Backend) {
	cs := customers(t, b.BoxOffice)
	for name, change := range map[string]func(*ledger.Customer){
		"e-mail":   func(c *ledger.Customer) { c.Email = "tom at tomsons.com" },
		"country":  func(c *ledger.Customer) { c.Address.Country = "XX" },
		"control":  func(c *ledger.Customer) { c.LastName = "Tom\x00son" },
		"bidi":     func(c *ledger.Customer) { c.Address.City = "Be\u202ern" },
		"long":     func(c *ledger.Customer) { c.FirstName = strings.Repeat("T", 101) },
		"phone":    func(c *ledger.Customer) { c.Phone = "call me" },
		"locale":   func(c *ledger.Customer) { c.Locale = "de CH" },
		"nameless": func(c *ledger.Customer) { c.LastName, c.Email = "", "" },
	} {
		c := person(t)
		change(&c)
		_, err := cs.CreateCustomer(b.BoxOffice.Ctx, c)
		wantCode(t, err, ledger.EINVALID, "CreateCustomer with a bad "+name)
	}
	_, err := b.Scanner.Customers.CreateCustomer(b.Scanner.Ctx, person(t))
	wantCode(t, err, ledger.EFORBIDDEN, "CreateCustomer with a scanner key")
	_, err = b.Anonymous.Customers.CreateCustomer(b.Anonymous.Ctx, person(t))
	wantCode(t, err, ledger.EUNAUTHORIZED, "CreateCustomer without a key")
	c := createCustomer(t, b.BoxOffice, person(t))
	_, err = b.Scanner.Customers.Customer(b.Scanner.Ctx, c.ID)
	wantCode(t, err, ledger.EFORBIDDEN, "Customer with a scanner key")
	_, err = b.Anonymous.Customers.Customer(b.Anonymous.Ctx, c.ID)
	wantCode(t, err, ledger.EUNAUTHORIZED, "Customer without a key")
}

func testCustomerUpdate(t *testing.T, b Backend) {
	c := createCustomer(t, b.Organizer, person(t))
	phone, city := "+41 31 123 45 67", "Thun"
	got, err := b.Organizer.Customers.UpdateCustomer(b.Organizer.Ctx, c.ID,
		ledger.CustomerChange{Phone: &phone, Address: &ledger.AddressChange{City: &city}})
	must(t, err, "UpdateCustomer")
	want := c
	want.Phone, want.Address.City = phone, city
	if got.Phone != phone || got.Address != want.Address || got.LastName != c.LastName || got.Email != c.Email {
		t.Errorf("UpdateCustomer = %+v, want %+v", got, want)
	}
	read, err := b.Organizer.Customers.Customer(b.Organizer.Ctx, c.ID)
	must(t, err, "Customer")
	if read.Phone != phone || read.Address.City != city {
		t.Errorf("Customer after the change = %+v", read)
	}
	_, err = b.Organizer.Customers.UpdateCustomer(b.Organizer.Ctx, c.ID, ledger.CustomerChange{})
	wantCode(t, err, ledger.EINVALID, "an empty change")
	bad := "nobody"
	_, err = b.Organizer.Customers.UpdateCustomer(b.Organizer.Ctx, c.ID, ledger.CustomerChange{Email: &bad})
	wantCode(t, err, ledger.EINVALID, "a change to a malformed e-mail address")
	_, err = b.Rival.Customers.UpdateCustomer(b.Rival.Ctx, c.ID, ledger.CustomerChange{Phone: &phone})
	wantCode(t, err, ledger.ENOTFOUND, "another organizer changing the customer")
	_, err = b.BoxOffice.Customers.UpdateCustomer(b.BoxOffice.Ctx, c.ID, ledger.CustomerChange{Phone: &phone})
	must(t, err, "the box office changing an organizer's customer")
}

func testCustomerFind(t *testing.T, b Backend) {
	p := person(t)
	mine := createCustomer(t, b.Organizer, p)
	p.FirstName, p.LastName = "Zoë", "Øster-"+strings.ToUpper(mine.Email[:6])
	other := createCustomer(t, b.Rival, p)
	found := findCustomers(t, b.Organizer, ledger.CustomerQuery{Email: strings.ToUpper(p.Email)})
	if len(found.Customers) != 1 || found.Customers[0].ID != mine.ID || found.Total != 1 || found.More {
		t.Errorf("the organizer's FindCustomers(e-mail) = %+v, want its own customer %d alone", found, mine.ID)
	}
	found = findCustomers(t, b.BoxOffice, ledger.CustomerQuery{Name: "øster-" + mine.Email[:6]})
	if len(found.Customers) != 1 || found.Customers[0].ID != other.ID {
		t.Errorf("FindCustomers(name) = %+v, want customer %d", found, other.ID)
	}
	first := findCustomers(t, b.BoxOffice, ledger.CustomerQuery{Email: p.Email, Limit: 1})
	if len(first.Customers) != 1 || first.Total != 2 || !first.More {
		t.Fatalf("FindCustomers(limit 1) = %+v, want 1 of 2 and more", first)
	}
	next := findCustomers(t, b.BoxOffice, ledger.CustomerQuery{Email: p.Email, Limit: 1, After: first.Customers[0].ID})
	if len(next.Customers) != 1 || next.Total != 2 || next.More || next.Customers[0].ID <= first.Customers[0].ID {
		t.Errorf("FindCustomers(the page after %d) = %+v, want the other customer and no more", first.Customers[0].ID, next)
	}
	for name, q := range map[string]ledger.CustomerQuery{"neither": {}, "both": {Email: p.Email, Name: "Tom"},
		"limit": {Name: "Tom", Limit: ledger.MaxCustomerLimit + 1}, "after": {Name: "Tom", After: -1}} {
		_, err := b.BoxOffice.Customers.FindCustomers(b.BoxOffice.Ctx, q)
		wantCode(t, err, ledger.EINVALID, "FindCustomers with "+name)
	}
	if found = findCustomers(t, b.BoxOffice, ledger.CustomerQuery{Name: "%"}); len(found.Customers) != 0 {
		t.Errorf("FindCustomers(%%) = %d customers: a wildcard must match only itself", len(found.Customers))
	}
}

// findCustomers runs the query as the party, failing the test on an error.
func findCustomers(t *testing.T, p Party, q ledger.CustomerQuery) ledger.CustomerPage {
	t.Helper()
	found, err := customers(t, p).FindCustomers(p.Ctx, q)
	must(t, err, "FindCustomers")
	return found
}

func testCustomerExportAndErase(t *testing.T, b Backend) {
	c := createCustomer(t, b.BoxOffice, person(t))
	phone := "031 123 45 67"
	_, err := b.BoxOffice.Customers.UpdateCustomer(b.BoxOffice.Ctx, c.ID, ledger.CustomerChange{Phone: &phone})
	must(t, err, "UpdateCustomer")
	ex, err := b.BoxOffice.Customers.ExportCustomer(b.BoxOffice.Ctx, c.ID)
	must(t, err, "ExportCustomer")
	if ex.Customer.Email != c.Email || ex.Customer.Phone != phone || len(ex.Transactions) != 2 ||
		ex.Transactions[0].Kind != ledger.TxCustomerCreated || ex.Transactions[1].Kind != ledger.TxCustomerChanged {
		t.Fatalf("ExportCustomer = %+v, want the record and its two transactions", ex)
	}
	erased, err := b.BoxOffice.Customers.EraseCustomer(b.BoxOffice.Ctx, c.ID)
	must(t, err, "EraseCustomer")
	if erased.ID != c.ID || !erased.Erased || erased.Anonymized() != erased {
		t.Errorf("EraseCustomer = %+v, want every personal field blank", erased)
	}
	again, err := b.BoxOffice.Customers.EraseCustomer(b.BoxOffice.Ctx, c.ID)
	must(t, err, "EraseCustomer again")
	if again != erased {
		t.Errorf("EraseCustomer again = %+v, want %+v unchanged", again, erased)
	}
	_, err = b.BoxOffice.Customers.UpdateCustomer(b.BoxOffice.Ctx, c.ID, ledger.CustomerChange{Phone: &phone})
	wantCode(t, err, ledger.ECONFLICT, "changing an erased customer")
	if found := findCustomers(t, b.BoxOffice, ledger.CustomerQuery{Email: c.Email}); len(found.Customers) != 0 {
		t.Errorf("FindCustomers found the erased customer: %+v", found)
	}
	ex, err = b.BoxOffice.Customers.ExportCustomer(b.BoxOffice.Ctx, c.ID)
	must(t, err, "ExportCustomer after the erasure")
	if ex.Customer != erased || len(ex.Transactions) != 3 || ex.Transactions[2].Kind != ledger.TxCustomerErased {
		t.Errorf("ExportCustomer after the erasure = %+v", ex)
	}
	b.AdvanceBlocks(2)
	rep, err := b.Organizer.Service.Verify(b.Organizer.Ctx)
	must(t, err, "Verify")
	if !rep.OK {
		t.Errorf("Verify after an erasure = %+v", rep)
	}
}
