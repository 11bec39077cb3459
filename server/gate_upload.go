package server

import (
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// uploads serves CheckInUpload: the admissions a gate's device made offline, uploaded
// when the server answers it again.
type uploads struct {
	responder
	up scanner.Uploader // nil: not served
}

func (h uploads) routes(mux *http.ServeMux) {
	if h.up != nil {
		mux.HandleFunc("POST "+contractPath+"/CheckInUpload", h.checkInUpload)
	}
}

// checkInUpload checks each item in as an offline admission, for a scanner key or the
// owner's organizer key: 200 with one result per item, an item that could not be read
// answered with its error; 400 for a body that is not a batch of at most
// scanner.MaxUploadBatch items.
func (h uploads) checkInUpload(w http.ResponseWriter, r *http.Request) {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleScanner, ledger.RoleOrganizer); err != nil {
		h.error(w, err)
		return
	}
	if err := ledger.ValidateAddress(r.PathValue("address")); err != nil {
		h.error(w, err)
		return
	}
	var body api.CheckInUploadRequest
	if err := decode(r, &body); err != nil {
		h.error(w, err)
		return
	}
	results, err := h.up.CheckInUpload(r.Context(), r.PathValue("address"), body.Device, body.Items)
	h.reply(w, http.StatusOK, api.CheckInUploadResponse{Results: results}, err)
}
