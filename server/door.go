package server

import (
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// door serves the work at the door beyond scanning (Services.Door): the owner sets a
// sale's gate policy. The store decides who may do what.
type door struct {
	responder
	ledger ledger.Door
}

func (h door) routes(mux *http.ServeMux) {
	if h.ledger == nil {
		return
	}
	mux.HandleFunc("POST "+contractPath+"/GatePolicy", h.setGatePolicy)
}

// setGatePolicy changes the parts of the latest sale's gate policy the body gives
// ({offlineAdmission?, reentry?}) and answers the receipt, whose effect is the policy.
func (h door) setGatePolicy(w http.ResponseWriter, r *http.Request) {
	var ch ledger.GatePolicyChange
	if err := decodeCustomer(r, &ch, "gate policy (offlineAdmission, reentry: true or false)"); err != nil {
		h.error(w, err)
		return
	}
	rc, err := h.ledger.SetGatePolicy(r.Context(), r.PathValue("address"), ch)
	h.reply(w, http.StatusOK, rc, err)
}
