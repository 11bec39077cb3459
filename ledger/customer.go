package ledger

import (
	"context"
	"slices"
	"time"
)

// Customer is a person the box office or the organizer sells to (seed 003's person): the
// name and address they keep, never on the public ticket list or in the journal's
// effects. The journal records only that customer ID was created, changed or erased.
type Customer struct {
	ID         int64         `json:"id"`
	Salutation string        `json:"salutation"` // as the shop writes it: "m", "f", "Ms", ...
	FirstName  string        `json:"firstName"`
	LastName   string        `json:"lastName"`
	Company    string        `json:"company"`
	Email      string        `json:"email"`
	Phone      string        `json:"phone"`
	Locale     string        `json:"locale"` // a language tag such as "de-CH"
	Address    PostalAddress `json:"address"`
	// CreatedBy is the actor ID of the key that created the customer ("key:7", "admin").
	CreatedBy string    `json:"createdBy"`
	Created   time.Time `json:"created"`
	Changed   time.Time `json:"changed"`
	// Erased is set once the customer's personal data has been erased (EraseCustomer):
	// every personal field is then blank and only the ID and the times remain.
	Erased bool `json:"erased,omitempty"`
}

// PostalAddress is a customer's postal address. Country is an ISO 3166-1 alpha-2 code.
type PostalAddress struct {
	Country  string `json:"country"`
	Address1 string `json:"address1"`
	Address2 string `json:"address2"`
	Zip      string `json:"zip"`
	City     string `json:"city"`
}

// CustomerChange is a partial update of a customer: each field that is not nil replaces
// the customer's, the others stay.
type CustomerChange struct {
	Salutation *string        `json:"salutation,omitempty"`
	FirstName  *string        `json:"firstName,omitempty"`
	LastName   *string        `json:"lastName,omitempty"`
	Company    *string        `json:"company,omitempty"`
	Email      *string        `json:"email,omitempty"`
	Phone      *string        `json:"phone,omitempty"`
	Locale     *string        `json:"locale,omitempty"`
	Address    *AddressChange `json:"address,omitempty"`
}

// AddressChange is a partial update of a postal address, as CustomerChange is.
type AddressChange struct {
	Country  *string `json:"country,omitempty"`
	Address1 *string `json:"address1,omitempty"`
	Address2 *string `json:"address2,omitempty"`
	Zip      *string `json:"zip,omitempty"`
	City     *string `json:"city,omitempty"`
}

// CustomerQuery finds customers by e-mail address (exact, ignoring case) or by name (a
// part of the first name, last name or company, ignoring case); exactly one of the two.
// Customers are found in the order of their ids: Limit bounds a page (0 means
// DefaultCustomerLimit, at most MaxCustomerLimit), and After asks for the page after the
// customer with that id (0: the first page).
type CustomerQuery struct {
	Email string
	Name  string
	Limit int
	After int64
}

// CustomerPage is a page of the customers a query found: Total is how many it finds in
// all, More whether another page follows.
type CustomerPage struct {
	Customers []Customer `json:"customers"`
	Total     int        `json:"total"`
	More      bool       `json:"more"`
}

// The bounds of a customer search's answer.
const (
	DefaultCustomerLimit = 50
	MaxCustomerLimit     = 500
)

// CustomerExport is everything the ledger holds about a customer, for the customer's
// request under data-protection law: the record, the customer's bookings, and the
// journal's transactions that name the customer (by ID only).
type CustomerExport struct {
	Customer     Customer          `json:"customer"`
	Bookings     []CustomerBooking `json:"bookings"`
	Transactions []Receipt         `json:"transactions"`
	Exported     time.Time         `json:"exported"`
}

// CustomerBooking is one of a customer's bookings in their export: the booking, the
// contract and sale it is on, its state and when it was opened. Its seats are read with
// the booking itself.
type CustomerBooking struct {
	ID       int64     `json:"id"`
	Contract string    `json:"contract"`
	Sale     int64     `json:"sale"`
	State    string    `json:"state"`
	Created  time.Time `json:"created"`
}

// Customers keeps the shop's customers. Box-office and organizer keys and the
// administrator may use it (EUNAUTHORIZED without a key, EFORBIDDEN for a scanner key).
// Box-office keys and the administrator see every customer; an organizer key sees only
// the customers it created, and any other is ENOTFOUND to it, as a stranger's would be.
type Customers interface {
	// CreateCustomer records a new customer (its ID, CreatedBy and times are the store's):
	// EINVALID with the reason for a malformed field.
	CreateCustomer(ctx context.Context, c Customer) (Customer, error)
	// Customer returns the customer with the ID: ENOTFOUND when there is none (or the
	// actor may not see it).
	Customer(ctx context.Context, id int64) (Customer, error)
	// UpdateCustomer applies the change and returns the customer as it then is: EINVALID
	// for a malformed field or an empty change, ECONFLICT for an erased customer.
	UpdateCustomer(ctx context.Context, id int64, change CustomerChange) (Customer, error)
	// FindCustomers returns a page of the customers the query matches, by ID: EINVALID for
	// a query without exactly one of e-mail and name, or a limit out of bounds.
	FindCustomers(ctx context.Context, q CustomerQuery) (CustomerPage, error)
	// ExportCustomer returns everything held about the customer.
	ExportCustomer(ctx context.Context, id int64) (CustomerExport, error)
	// EraseCustomer anonymises the customer: every personal field is blanked, the ID and
	// the times stay, and whatever refers to the customer keeps only the ID. Erasing an
	// erased customer again changes nothing and is no error.
	EraseCustomer(ctx context.Context, id int64) (Customer, error)
}

// Journal kinds of the customers: by ID, never with personal data (CustomerEffect).
const (
	TxCustomerCreated = "customer_created"
	TxCustomerChanged = "customer_changed"
	TxCustomerErased  = "customer_erased"
)

// IsCustomerKind reports whether kind is one of the customers' journal kinds.
func IsCustomerKind(kind string) bool {
	return kind == TxCustomerCreated || kind == TxCustomerChanged || kind == TxCustomerErased
}

// CustomerRoles are the roles that may manage customers, besides the administrator.
var CustomerRoles = []Role{RoleBoxOffice, RoleOrganizer}

// MaySeeCustomer reports whether the actor may see and manage a customer created by
// createdBy: the administrator and box-office keys every one, an organizer key its own.
func MaySeeCustomer(a Actor, createdBy string) bool {
	return a.Admin || a.Role == RoleBoxOffice || a.ID() == createdBy
}

// MayManageCustomers reports whether the actor may manage customers at all: the
// administrator and the keys of CustomerRoles.
func MayManageCustomers(a Actor) bool {
	return a.Admin || slices.Contains(CustomerRoles, a.Role)
}
