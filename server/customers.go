package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// customers serve the shop's customers under api.CustomersPath, when the server was given
// them (Services.Customers). Every route needs a box-office or organizer key (the store
// decides); personal data travels only in bodies, which are never logged, and in the
// search's query, of which the request log shows only the path.
type customers struct {
	responder
	customers ledger.Customers
}

func (h customers) routes(mux *http.ServeMux) {
	if h.customers == nil {
		return
	}
	one := api.CustomersPath + "/{id}"
	mux.HandleFunc("POST "+api.CustomersPath, h.create)
	mux.HandleFunc("GET "+api.CustomersPath, h.find)
	mux.HandleFunc("GET "+one, h.read)
	mux.HandleFunc("PATCH "+one, h.update)
	mux.HandleFunc("GET "+one+"/export", h.export)
	mux.HandleFunc("POST "+one+"/erase", h.erase)
}

// create answers 201 with the new customer and its path in the Location header.
func (h customers) create(w http.ResponseWriter, r *http.Request) {
	var body api.CustomerBody
	if err := decodeCustomer(r, &body, "a customer"); err != nil {
		h.error(w, err)
		return
	}
	c, err := h.customers.CreateCustomer(r.Context(), body.Customer())
	if err == nil {
		w.Header().Set("Location", api.CustomerPath(c.ID, ""))
	}
	h.reply(w, http.StatusCreated, c, err)
}

func (h customers) read(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		h.error(w, err)
		return
	}
	c, err := h.customers.Customer(r.Context(), id)
	h.reply(w, http.StatusOK, c, err)
}

func (h customers) update(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		h.error(w, err)
		return
	}
	var change ledger.CustomerChange
	if err := decodeCustomer(r, &change, "a customer's change"); err != nil {
		h.error(w, err)
		return
	}
	c, err := h.customers.UpdateCustomer(r.Context(), id, change)
	h.reply(w, http.StatusOK, c, err)
}

// find answers a page of the customers matching ?email= or ?name= as an array, paged by
// ?limit= and ?cursor= as every list is (api.ParsePage), the total in X-Total-Count.
func (h customers) find(w http.ResponseWriter, r *http.Request) {
	query, err := customerQuery(r)
	if err != nil {
		h.error(w, err)
		return
	}
	page, err := h.customers.FindCustomers(r.Context(), query)
	if err != nil {
		h.error(w, err)
		return
	}
	next := ""
	if page.More {
		next = api.Cursor(api.CustomerList, strconv.FormatInt(page.Customers[len(page.Customers)-1].ID, 10))
	}
	pageHeaders(w, r, page.Total, query.Limit, next)
	h.reply(w, http.StatusOK, page.Customers, nil)
}

// customerQuery reads a search's parameters: EINVALID in words for a malformed query
// string, limit or cursor.
func customerQuery(r *http.Request) (ledger.CustomerQuery, error) {
	q, err := listQuery(r)
	if err != nil {
		return ledger.CustomerQuery{}, err
	}
	p, err := api.ParsePage(q, api.CustomerList, ledger.DefaultCustomerLimit, ledger.MaxCustomerLimit)
	if err != nil {
		return ledger.CustomerQuery{}, err
	}
	query := ledger.CustomerQuery{Email: q.Get("email"), Name: q.Get("name"), Limit: p.Limit}
	if p.After != "" {
		id, err := api.ParseIndexKey(p.After, 1<<53-1) // a customer id, as the cursor handed out holds it
		if err != nil {
			return ledger.CustomerQuery{}, err
		}
		query.After = int64(id)
	}
	return query, nil
}

func (h customers) export(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		h.error(w, err)
		return
	}
	ex, err := h.customers.ExportCustomer(r.Context(), id)
	h.reply(w, http.StatusOK, ex, err)
}

func (h customers) erase(w http.ResponseWriter, r *http.Request) {
	id, err := customerID(r)
	if err != nil {
		h.error(w, err)
		return
	}
	c, err := h.customers.EraseCustomer(r.Context(), id)
	h.reply(w, http.StatusOK, c, err)
}

// customerID reads the {id} of the path: EINVALID unless it is a positive whole number.
func customerID(r *http.Request) (int64, error) {
	text := r.PathValue("id")
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return 0, ledger.Errorf(ledger.EINVALID, "Customer id %q must be a positive whole number", clipText(text, 40))
	}
	return id, nil
}

// decodeCustomer decodes a customer body as decode does, and refuses a member that is
// not one of what's fields: a misspelt field would otherwise be lost without a word.
func decodeCustomer(r *http.Request, v any, what string) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return bodyError(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	if err := decode(r, v); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return ledger.Errorf(ledger.EINVALID, "Request body member %s is not a field of %s: see the customers API in the README", clipText(name, 60), what)
		}
		return ledger.Errorf(ledger.EINVALID, "Request body is not %s", what)
	}
	return nil
}

// clipText shortens text to n bytes for a message.
func clipText(text string, n int) string {
	if len(text) > n {
		return text[:n] + "..."
	}
	return text
}
