package server

import (
	"bytes"
	"io"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func (s *Server) ledgerInfo(w http.ResponseWriter, r *http.Request) {
	info, err := s.svc.Ledger.Info(r.Context())
	s.reply(w, http.StatusOK, info, err)
}

func (s *Server) receipt(w http.ResponseWriter, r *http.Request) {
	rc, err := s.svc.Ledger.Receipt(r.Context(), r.PathValue("hash"))
	s.reply(w, http.StatusOK, rc, err)
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	anchors, err := verifyAnchors(r)
	if err != nil {
		s.error(w, err)
		return
	}
	rep, err := s.svc.Ledger.Verify(r.Context(), anchors...)
	s.reply(w, http.StatusOK, rep, err)
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
