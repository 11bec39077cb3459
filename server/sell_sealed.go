package server

import (
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// reserveSealedTickets sells seats whose tickets the caller sealed (and wrote down) first,
// as a batch does, and answers the order's receipt; the server never sees the secrets.
func (s *Server) reserveSealedTickets(w http.ResponseWriter, r *http.Request) {
	var req api.ReserveSealedTicketsRequest
	if !s.sellRequest(w, r, &req) {
		return
	}
	seller, ok := s.issuer.(issuer.SealedSeller)
	if !ok {
		s.error(w, ledger.Errorf(ledger.EINTERNAL, "this server's ledger cannot sell sealed tickets"))
		return
	}
	o, err := req.Order()
	if err == nil {
		var rc ledger.OrderReceipt
		if rc, err = seller.SellSealed(r.Context(), r.PathValue("address"), o); err == nil {
			w.Header().Set("X-Transaction-Hash", rc.TransactionHash)
			writeJSON(w, http.StatusCreated, rc)
			return
		}
	}
	s.error(w, err)
}
