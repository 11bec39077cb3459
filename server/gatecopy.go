package server

import (
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// gateCopies serve a gate device its copy of the contract's latest sale, GET
// {contract}/GateCopy?cursor=C: the whole sale without a cursor, the changes since
// otherwise (see ledger.GateCopier), for a scanner key or the owner's organizer key (the
// store decides). The answer is compact JSON (tickets as arrays, bytes in base64),
// gzipped as every answer when the device accepts it.
type gateCopies struct {
	responder
	copier ledger.GateCopier // nil: not served
}

func (h gateCopies) routes(mux *http.ServeMux) {
	if h.copier == nil {
		return
	}
	mux.HandleFunc("GET "+contractPath+"/GateCopy", h.gateCopy)
}

func (h gateCopies) gateCopy(w http.ResponseWriter, r *http.Request) {
	cp, err := h.copier.GateCopy(r.Context(), r.PathValue("address"), r.URL.Query().Get("cursor"))
	if err != nil {
		h.error(w, err)
		return
	}
	// Written as the copy writes itself: encoding/json would check 60,000 tickets again.
	body, _ := cp.MarshalJSON()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(append(body, '\n'))
}
