package api

import (
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// CustomersPath is the collection of the shop's customers: POST creates one, GET with
// email= or name= (and limit=) searches them.
const CustomersPath = "/api/v1.0/customers"

// CustomerList names the customer search's list in its cursors (Cursor).
const CustomerList = "customers"

// CustomerPath returns the path of a customer's route: CustomerPath(7, "") is the
// customer, CustomerPath(7, "export") its data-protection export.
func CustomerPath(id int64, route string) string {
	p := CustomersPath + "/" + strconv.FormatInt(id, 10)
	if route != "" {
		p += "/" + route
	}
	return p
}

// CustomerBody is the body of POST /api/v1.0/customers: a customer's personal fields. The
// id, the creating key and the times are the ledger's, and a body naming them is refused.
type CustomerBody struct {
	Salutation string               `json:"salutation"`
	FirstName  string               `json:"firstName"`
	LastName   string               `json:"lastName"`
	Company    string               `json:"company"`
	Email      string               `json:"email"`
	Phone      string               `json:"phone"`
	Locale     string               `json:"locale"`
	Address    ledger.PostalAddress `json:"address"`
}

// CustomerBodyOf is the body that creates c.
func CustomerBodyOf(c ledger.Customer) CustomerBody {
	return CustomerBody{Salutation: c.Salutation, FirstName: c.FirstName, LastName: c.LastName, Company: c.Company,
		Email: c.Email, Phone: c.Phone, Locale: c.Locale, Address: c.Address}
}

// Customer is the customer the body describes, for CreateCustomer.
func (b CustomerBody) Customer() ledger.Customer {
	return ledger.Customer{Salutation: b.Salutation, FirstName: b.FirstName, LastName: b.LastName, Company: b.Company,
		Email: b.Email, Phone: b.Phone, Locale: b.Locale, Address: b.Address}
}

// A customer is answered as ledger.Customer (its JSON is camelCase), a search as a JSON
// array of them, an export as ledger.CustomerExport, and the body of PATCH
// /api/v1.0/customers/{id} is a ledger.CustomerChange: members left out stay as they are.
