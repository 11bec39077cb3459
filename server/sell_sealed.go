package server

import (
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// reserveSealedTickets sells seats whose tickets the caller sealed (and wrote down) first,
// as a batch does, and answers the order's receipt; the server never sees the secrets.
func (h selling) reserveSealedTickets(w http.ResponseWriter, r *http.Request) {
	var req api.ReserveSealedTicketsRequest
	if !h.sellRequest(w, r, &req) {
		return
	}
	o, err := req.Order()
	if err == nil {
		var rc ledger.OrderReceipt
		if rc, err = h.sealed.SellSealed(r.Context(), r.PathValue("address"), o); err == nil {
			w.Header().Set("X-Transaction-Hash", rc.TransactionHash)
			writeJSON(w, http.StatusCreated, rc)
			return
		}
	}
	h.error(w, err)
}
