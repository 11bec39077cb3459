package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var _ ledger.Customers = (*Client)(nil)

// CreateCustomer records a new customer on the server and returns it with its id.
func (c *Client) CreateCustomer(ctx context.Context, cu ledger.Customer) (ledger.Customer, error) {
	var out ledger.Customer
	err := c.do(ctx, http.MethodPost, api.CustomersPath, api.CustomerBodyOf(cu), &out)
	return out, err
}

// Customer returns the customer with the id: ENOTFOUND when there is none.
func (c *Client) Customer(ctx context.Context, id int64) (ledger.Customer, error) {
	var out ledger.Customer
	err := c.do(ctx, http.MethodGet, api.CustomerPath(id, ""), nil, &out)
	return out, err
}

// UpdateCustomer applies the partial change and returns the customer as it then is.
func (c *Client) UpdateCustomer(ctx context.Context, id int64, change ledger.CustomerChange) (ledger.Customer, error) {
	var out ledger.Customer
	err := c.do(ctx, http.MethodPatch, api.CustomerPath(id, ""), change, &out)
	return out, err
}

// FindCustomers returns a page of the customers matching the query's e-mail address or
// name, through the search's paging (?limit=, ?cursor=, X-Total-Count).
func (c *Client) FindCustomers(ctx context.Context, q ledger.CustomerQuery) (ledger.CustomerPage, error) {
	v := url.Values{}
	if q.Email != "" {
		v.Set("email", q.Email)
	}
	if q.Name != "" {
		v.Set("name", q.Name)
	}
	limit, cursor := q.Limit, ""
	if limit == 0 {
		limit = ledger.DefaultCustomerLimit
	}
	if q.After != 0 {
		cursor = api.Cursor(api.CustomerList, strconv.FormatInt(q.After, 10))
	}
	page := ledger.CustomerPage{Customers: []ledger.Customer{}}
	next, total, err := c.ListPage(ctx, api.CustomersPath, v, limit, cursor, &page.Customers)
	page.Total, page.More = total, next != ""
	return page, err
}

// ExportCustomer returns everything the server holds about the customer.
func (c *Client) ExportCustomer(ctx context.Context, id int64) (ledger.CustomerExport, error) {
	var out ledger.CustomerExport
	err := c.do(ctx, http.MethodGet, api.CustomerPath(id, "export"), nil, &out)
	return out, err
}

// EraseCustomer anonymises the customer on the server and returns what remains.
func (c *Client) EraseCustomer(ctx context.Context, id int64) (ledger.Customer, error) {
	var out ledger.Customer
	err := c.do(ctx, http.MethodPost, api.CustomerPath(id, "erase"), nil, &out)
	return out, err
}
