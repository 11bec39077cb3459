package server

import (
	"bytes"
	"io"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// journal serves the ledger's own routes: its head, receipts of transactions and
// verification of the journal.
type journal struct {
	responder
	ledger ledger.Service
}

func (h journal) routes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+api.LedgerPath, h.ledgerInfo)
	mux.HandleFunc("POST "+api.VerifyPath, h.verify)
	mux.HandleFunc("GET "+api.ReceiptsPath+"{hash}", h.receipt)
}

func (h journal) ledgerInfo(w http.ResponseWriter, r *http.Request) {
	info, err := h.ledger.Info(r.Context())
	h.reply(w, http.StatusOK, info, err)
}

func (h journal) receipt(w http.ResponseWriter, r *http.Request) {
	rc, err := h.ledger.Receipt(r.Context(), r.PathValue("hash"))
	h.reply(w, http.StatusOK, rc, err)
}

func (h journal) verify(w http.ResponseWriter, r *http.Request) {
	anchors, err := verifyAnchors(r)
	if err != nil {
		h.error(w, err)
		return
	}
	rep, err := h.ledger.Verify(r.Context(), anchors...)
	h.reply(w, http.StatusOK, rep, err)
}

// verifyAnchors reads the anchors of a verification: none when the body is empty.
func verifyAnchors(r *http.Request) ([]ledger.BlockRef, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, bodyError(err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var req api.VerifyRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	for i, a := range req.Anchors {
		b, err := ledger.ParseBlockRef(a.String())
		if err != nil {
			return nil, err
		}
		req.Anchors[i] = b
	}
	return req.Anchors, nil
}
