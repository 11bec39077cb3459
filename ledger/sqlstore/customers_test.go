package sqlstore_test

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// seedPerson is seed 003's person.
func seedPerson() ledger.Customer {
	return ledger.Customer{Salutation: "m", FirstName: "Tom", LastName: "Tomson", Email: "tom@tomsons.com",
		Phone: "+41 31 555 01 02", Company: "Tomsons AG", Locale: "de-CH",
		Address: ledger.PostalAddress{Country: "CH", Address1: "Testweg 10", Address2: "Postfach", Zip: "3000", City: "Bern"}}
}

// personalFields are the seed person's fields, as they must never appear in the journal.
func personalFields(c ledger.Customer) []string {
	a := c.Address
	return []string{c.FirstName, c.LastName, c.Email, c.Phone, c.Company, c.Locale, a.Address1, a.Address2, a.Zip, a.City}
}

// TestCustomerJournalHasNoPersonalData creates, changes and erases a customer and reads
// the whole journal back: its rows name the customer by id and nothing else of theirs.
func TestCustomerJournalHasNoPersonalData(t *testing.T) {
	e := openEnv(t)
	office := e.actor(t, ledger.RoleBoxOffice, "office")
	c, err := e.store.Customers.CreateCustomer(office, seedPerson())
	mustNil(t, err, "CreateCustomer")
	city := "Thun"
	_, err = e.store.Customers.UpdateCustomer(office, c.ID, ledger.CustomerChange{Address: &ledger.AddressChange{City: &city}})
	mustNil(t, err, "UpdateCustomer")
	rows, err := e.rawDB(t).Query(`SELECT kind, body FROM journal ORDER BY seq`)
	mustNil(t, err, "reading the journal")
	defer rows.Close()
	kinds := 0
	for rows.Next() {
		var kind, body string
		mustNil(t, rows.Scan(&kind, &body), "scanning the journal")
		for _, field := range append(personalFields(c), city) {
			if strings.Contains(body, field) {
				t.Errorf("journal %s holds the customer's %q: %s", kind, field, body)
			}
		}
		if ledger.IsCustomerKind(kind) {
			kinds++
		}
	}
	if kinds != 2 {
		t.Errorf("the journal holds %d customer transactions, want 2", kinds)
	}
}

// TestVerifyCustomers: verify passes after an erasure, and reports personal data left in
// an erased row, a customer row the journal never created, and one it created that is gone.
func TestVerifyCustomers(t *testing.T) {
	tests := map[string]func(t *testing.T, db *rawDB, kept, erased ledger.Customer){
		"DataAfterErasure": func(t *testing.T, db *rawDB, kept, erased ledger.Customer) {
			wantRows(t, mustExec(t, db, `UPDATE customers SET last_name = 'Tomson' WHERE id = ?`, erased.ID))
		},
		"Unjournaled": func(t *testing.T, db *rawDB, kept, erased ledger.Customer) {
			wantRows(t, mustExec(t, db, `INSERT INTO customers (id, created_by, created_at, changed_at) VALUES (7, 'admin', 0, 0)`))
		},
		"Deleted": func(t *testing.T, db *rawDB, kept, erased ledger.Customer) {
			wantRows(t, mustExec(t, db, `DELETE FROM customers WHERE id = ?`, kept.ID))
		},
		"Unerased": func(t *testing.T, db *rawDB, kept, erased ledger.Customer) {
			wantRows(t, mustExec(t, db, `UPDATE customers SET erased = 0 WHERE id = ?`, erased.ID))
		},
	}
	for name, tamper := range tests {
		t.Run(name, func(t *testing.T) {
			e := openEnv(t)
			office := e.actor(t, ledger.RoleBoxOffice, "office")
			kept, err := e.store.Customers.CreateCustomer(office, seedPerson())
			mustNil(t, err, "CreateCustomer")
			gone, err := e.store.Customers.CreateCustomer(office, seedPerson())
			mustNil(t, err, "CreateCustomer")
			gone, err = e.store.Customers.EraseCustomer(office, gone.ID)
			mustNil(t, err, "EraseCustomer")
			if rep := mustVerify(t, e); !rep.OK {
				t.Fatalf("Verify after an erasure = %+v", rep)
			}
			tamper(t, e.rawDB(t), kept, gone)
			if rep := mustVerify(t, e); rep.OK || len(rep.Problems) == 0 {
				t.Errorf("Verify after tampering = %+v, want a problem reported", rep)
			}
		})
	}
}
