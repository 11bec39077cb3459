package server

import (
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// ticketLists serve the shop's ticket list under api.TicketsPath, when the server was
// given it (Services.TicketLists): tickets found by contract, booking, owner or ids,
// filtered, sorted and paged (api.ParseTicketQuery), with the relations asked for. It
// needs a key; the store decides what the key may see (a customer's personal data only
// for keys that may see that customer).
type ticketLists struct {
	responder
	lists ledger.TicketLists
}

func (h ticketLists) routes(mux *http.ServeMux) {
	if h.lists == nil {
		return
	}
	mux.HandleFunc("GET "+api.TicketsPath, h.list)
}

// list answers a page of the list as a bare JSON array, its total in X-Total-Count and
// the next page in Link.
func (h ticketLists) list(w http.ResponseWriter, r *http.Request) {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleBoxOffice, ledger.RoleOrganizer, ledger.RoleScanner); err != nil {
		h.error(w, err)
		return
	}
	v, err := listQuery(r)
	var q ledger.TicketQuery
	if err == nil {
		q, err = api.ParseTicketQuery(v)
	}
	var page ledger.TicketList
	if err == nil {
		page, err = h.lists.ListTickets(r.Context(), q)
	}
	if err != nil {
		h.error(w, err)
		return
	}
	next := ""
	if page.Next != "" {
		next = api.Cursor(api.TicketListName(q.SortBy, q.Desc), page.Next)
	}
	pageHeaders(w, r, page.Total, q.Limit, next)
	h.reply(w, http.StatusOK, page.Tickets, nil)
}
