package server

import (
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func (s *Server) createContract(w http.ResponseWriter, r *http.Request) {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleOrganizer); err != nil {
		s.error(w, err)
		return
	}
	var req api.CreateContractRequest
	if err := decode(r, &req); err != nil {
		s.error(w, err)
		return
	}
	c, rc, err := s.svc.Ledger.CreateContract(r.Context(), req.Venue, req.Seats)
	if err != nil {
		s.error(w, err)
		return
	}
	w.Header().Set("Location", api.ContractPath(c.Address, ""))
	writeJSON(w, http.StatusCreated, api.CreateContractResponse{Address: c.Address, TransactionHash: rc.TransactionHash})
}

func (s *Server) getContract(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Ledger.Contract(r.Context(), r.PathValue("address"))
	s.reply(w, http.StatusOK, c, err)
}

// rules answers a GET of one rule with its bare value (1000, 2, true), as Ticketbooth does.
func (s *Server) rules(w http.ResponseWriter, r *http.Request, body func(ledger.Rules) any) {
	c, err := s.svc.Ledger.Contract(r.Context(), r.PathValue("address"))
	if err != nil {
		s.error(w, err)
		return
	}
	writeJSON(w, http.StatusOK, body(c.Rules))
}

func (s *Server) getFee(w http.ResponseWriter, r *http.Request) {
	s.rules(w, r, func(rl ledger.Rules) any { return rl.ReleaseFee })
}

func (s *Server) getNoReleaseBlocks(w http.ResponseWriter, r *http.Request) {
	s.rules(w, r, func(rl ledger.Rules) any { return rl.NoReleaseBlocks })
}

func (s *Server) getIdentityPolicy(w http.ResponseWriter, r *http.Request) {
	s.rules(w, r, func(rl ledger.Rules) any { return rl.RequireIdentityVerification })
}

// write runs a write that answers 201 {transactionHash}, after decoding the body into req
// (when req is not nil) and checking it with check.
func (s *Server) write(w http.ResponseWriter, r *http.Request, req any, check func() error, do func() (ledger.Receipt, error)) {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleOrganizer); err != nil {
		s.error(w, err)
		return
	}
	if err := ledger.ValidateAddress(r.PathValue("address")); err != nil {
		s.error(w, err)
		return
	}
	if req != nil {
		if err := decode(r, req); err != nil {
			s.error(w, err)
			return
		}
	}
	if check != nil {
		if err := check(); err != nil {
			s.error(w, err)
			return
		}
	}
	rc, err := do()
	if err != nil {
		s.error(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, api.TransactionResponse{TransactionHash: rc.TransactionHash})
}

// required is the error for a body that lacks a member, nil when ok.
func required(ok bool, member string) error {
	if !ok {
		return ledger.Errorf(ledger.EINVALID, "Request body must give %s", member)
	}
	return nil
}

func (s *Server) setFee(w http.ResponseWriter, r *http.Request) {
	var req api.FeeBody
	s.write(w, r, &req, func() error { return required(req.Fee != nil, "fee") }, func() (ledger.Receipt, error) {
		return s.svc.Ledger.SetReleaseFee(r.Context(), r.PathValue("address"), *req.Fee)
	})
}

func (s *Server) setNoReleaseBlocks(w http.ResponseWriter, r *http.Request) {
	var req api.CountBody
	s.write(w, r, &req, func() error { return required(req.Count != nil, "count") }, func() (ledger.Receipt, error) {
		return s.svc.Ledger.SetNoReleaseBlocks(r.Context(), r.PathValue("address"), *req.Count)
	})
}

func (s *Server) setIdentityPolicy(w http.ResponseWriter, r *http.Request) {
	var req api.IdentityBody
	s.write(w, r, &req, func() error { return required(req.RequireIdentityVerification != nil, "requireIdentityVerification") },
		func() (ledger.Receipt, error) {
			return s.svc.Ledger.SetIdentityPolicy(r.Context(), r.PathValue("address"), *req.RequireIdentityVerification)
		})
}

// setRules sets several rules in one transaction: {fee?, noReleaseBlocks?,
// requireIdentityVerification?}.
func (s *Server) setRules(w http.ResponseWriter, r *http.Request) {
	var req ledger.RulesChange
	s.write(w, r, &req, func() error { return required(!req.Empty(), "fee, noReleaseBlocks or requireIdentityVerification") },
		func() (ledger.Receipt, error) { return s.svc.Ledger.SetRules(r.Context(), r.PathValue("address"), req) })
}

func (s *Server) transferContract(w http.ResponseWriter, r *http.Request) {
	var req api.OwnerBody
	s.write(w, r, &req, func() error { return required(req.Owner != "", "owner (key:ID)") }, func() (ledger.Receipt, error) {
		return s.svc.Ledger.TransferContract(r.Context(), r.PathValue("address"), req.Owner)
	})
}

func (s *Server) beginSale(w http.ResponseWriter, r *http.Request) {
	var req api.BeginSaleRequest
	s.write(w, r, &req, func() error { return required(req.Details != nil, "details {name, organiser, time, endOfSale}") },
		func() (ledger.Receipt, error) {
			return s.svc.Ledger.BeginSale(r.Context(), r.PathValue("address"), req.SeatPrices, *req.Details)
		})
}

func (s *Server) endSale(w http.ResponseWriter, r *http.Request) {
	var wallet struct{} // Ticketbooth clients send their wallet members: read, check, ignore
	var body any
	if r.ContentLength > 0 {
		body = &wallet
	}
	s.write(w, r, body, nil, func() (ledger.Receipt, error) {
		return s.svc.Ledger.EndSale(r.Context(), r.PathValue("address"))
	})
}
