package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TicketparkPrefix is where the Ticketpark-compatible API is served (seed 003): a
// Ticketpark client works by changing its base URL to this server's /ticketpark/.
const TicketparkPrefix = "/ticketpark/"

// Bounds of the Ticketpark API's requests.
const (
	tpMaxItems          = 1000 // records in one POST
	tpDefaultMaxResults = 100
	tpMaxMaxResults     = 1000
	tpZone              = "Europe/Zurich" // the zone a show's start is read in when it names none
)

// ticketpark serves the Ticketpark-compatible API under TicketparkPrefix, when the server
// was given its records (Services.Ticketpark): Ticketpark's setup records (venues,
// sectors, events, shows, prices) map onto contracts and sales, its persons onto
// customers and its bookings and tickets onto bookings and their holds, through the
// shop's own services (see README, "Ticketpark compatibility").
type ticketpark struct {
	responder
	records   ledger.TicketparkRecords
	ledger    ledger.Service
	customers ledger.Customers
	bookings  ledger.Bookings
	confirmer issuer.BookingConfirmer
	resender  issuer.Resender // nil: email/send records the request only
}

func (h ticketpark) routes(mux *http.ServeMux) {
	if h.records == nil || h.customers == nil || h.bookings == nil {
		return
	}
	for _, c := range []struct {
		method, path string
		fn           http.HandlerFunc
	}{
		{"POST", "venues", h.createVenues}, {"GET", "venues", h.listVenues}, {"GET", "venues/{pid}", h.readVenue},
		{"POST", "sectors", h.createSectors}, {"GET", "sectors", h.listSectors}, {"GET", "sectors/{pid}", h.readSector},
		{"POST", "events", h.createEvents}, {"GET", "events", h.listEvents}, {"GET", "events/{pid}", h.readEvent},
		{"GET", "events/{pid}/bookings", h.listBookings},
		{"POST", "show", h.createShows}, {"POST", "shows", h.createShows}, {"GET", "shows", h.listShows},
		{"GET", "shows/{pid}", h.readShow}, {"GET", "show/{pid}", h.readShow},
		{"POST", "prices", h.createPrices}, {"GET", "prices", h.listPrices}, {"GET", "prices/{pid}", h.readPrice},
		{"GET", "hosts", h.listHosts}, {"GET", "hosts/{pid}", h.readHost},
		{"POST", "persons", h.createPersons}, {"GET", "persons/{pid}", h.readPerson},
		{"POST", "bookings", h.createBookings}, {"GET", "bookings", h.listBookings},
		{"GET", "bookings/{pid}", h.readBooking}, {"PATCH", "bookings/{pid}", h.patchBooking},
		{"POST", "tickets", h.createTickets}, {"POST", "email/send", h.sendEmail},
	} {
		mux.HandleFunc(c.method+" "+TicketparkPrefix+c.path, c.fn)
		mux.HandleFunc(c.method+" "+TicketparkPrefix+c.path+"/{$}", c.fn)
	}
}

// tpBody reads a request body that is one JSON object or an array of them (several
// records at once) into items: EINVALID in words for anything else, an empty array, or
// more than tpMaxItems records. many reports whether it was an array.
func tpBody[T any](r *http.Request) (items []T, many bool, err error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, false, bodyError(err)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	r.Body = io.NopCloser(bytes.NewReader(data))
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := decode(r, &items); err != nil {
			return nil, true, tpArrayError(err)
		}
		switch {
		case len(items) == 0:
			return nil, true, ledger.Errorf(ledger.EINVALID, "Request body is an empty array: give at least one record")
		case len(items) > tpMaxItems:
			return nil, true, ledger.Errorf(ledger.EINVALID, "Request body holds %d records: at most %d at once", len(items), tpMaxItems)
		}
		return items, true, nil
	}
	var one T
	if err := decode(r, &one); err != nil {
		return nil, false, err
	}
	return []T{one}, false, nil
}

// tpArrayError words the decoder's complaint about an array body: "must be a JSON object,
// not an array" would mislead where an array is welcome.
func tpArrayError(err error) error {
	msg := ledger.ErrorMessage(err)
	if strings.Contains(msg, "must be a JSON object, not") {
		return ledger.Errorf(ledger.EINVALID, "Request body must be a JSON object or an array of objects")
	}
	return err
}

// created answers 201 for the records created, each pid's path in a Location header (in
// the order of the request), and the pids as the body: one object, or an array when the
// request was one.
func (h ticketpark) created(w http.ResponseWriter, path string, pids []string, many bool, err error) {
	if err != nil {
		h.error(w, err)
		return
	}
	out := make([]map[string]string, len(pids))
	for i, pid := range pids {
		w.Header().Add("Location", TicketparkPrefix+path+"/"+pid)
		out[i] = map[string]string{"pid": pid}
	}
	if many {
		writeJSON(w, http.StatusCreated, out)
		return
	}
	writeJSON(w, http.StatusCreated, out[0])
}

// tpPage reads maxResults and page (from 0) of a collection's request: EINVALID in words
// for a malformed query or values out of range.
func tpPage(r *http.Request) (ledger.TicketparkPage, error) {
	p := ledger.TicketparkPage{MaxResults: tpDefaultMaxResults}
	q, err := listQuery(r)
	if err != nil {
		return p, err
	}
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > tpMaxMaxResults {
			return p, ledger.Errorf(ledger.EINVALID, "maxResults must be a whole number from 1 to %d", tpMaxMaxResults)
		}
		p.MaxResults = n
	}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000 {
			return p, ledger.Errorf(ledger.EINVALID, "page must be a whole number from 0 (the first page)")
		}
		p.Page = n
	}
	return p, nil
}

// listed answers a collection's page with its total in the x-count header.
func (h ticketpark) listed(w http.ResponseWriter, v any, total int, err error) {
	if err == nil {
		w.Header().Set("X-Count", strconv.Itoa(total))
	}
	h.reply(w, http.StatusOK, v, err)
}

// wants reports whether the request asks for the child records name:
// properties[name]=1 or =true.
func wants(r *http.Request, name string) bool {
	v := r.URL.Query().Get("properties[" + name + "]")
	return v == "1" || strings.EqualFold(v, "true")
}

// all is a page large enough for every child record of one parent.
var all = ledger.TicketparkPage{MaxResults: ledger.MaxContractSeats}

// tpAmount writes minor units in the currency's major units as a JSON number: 5000 CHF
// is 50.00.
func tpAmount(currency string, minor int64) json.Number {
	return json.Number(strings.TrimPrefix(ledger.FormatAmount(currency, minor), currency+" "))
}
