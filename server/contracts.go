package server

import (
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// contracts serves the contract routes of Ticketbooth: create and read a contract, read
// and set its rules, transfer it, begin and end its sale.
type contracts struct {
	responder
	ledger ledger.Service
}

// contractPath is the pattern of one contract's routes.
const contractPath = api.Base + "/{address}"

func (h contracts) routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/ticketbooth", h.createContract)
	mux.HandleFunc("POST "+api.Base, h.createContract)
	c := contractPath
	mux.HandleFunc("GET "+c, h.getContract)
	mux.HandleFunc("GET "+c+"/TicketReleaseFee", h.getFee)
	mux.HandleFunc("POST "+c+"/TicketReleaseFee", h.setFee)
	mux.HandleFunc("GET "+c+"/NoReleaseBlocks", h.getNoReleaseBlocks)
	mux.HandleFunc("POST "+c+"/NoReleaseBlocks", h.setNoReleaseBlocks)
	mux.HandleFunc("GET "+c+"/IdentityVerificationPolicy", h.getIdentityPolicy)
	mux.HandleFunc("POST "+c+"/IdentityVerificationPolicy", h.setIdentityPolicy)
	mux.HandleFunc("POST "+c+"/Rules", h.setRules)
	mux.HandleFunc("POST "+c+"/TransferContract", h.transferContract)
	mux.HandleFunc("POST "+c+"/BeginSale", h.beginSale)
	mux.HandleFunc("POST "+c+"/EndSale", h.endSale)
}

func (h contracts) createContract(w http.ResponseWriter, r *http.Request) {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleOrganizer); err != nil {
		h.error(w, err)
		return
	}
	var req api.CreateContractRequest
	if err := decode(r, &req); err != nil {
		h.error(w, err)
		return
	}
	c, rc, err := h.ledger.CreateContract(r.Context(), req.Venue, req.Seats, req.Standing...)
	if err != nil {
		h.error(w, err)
		return
	}
	w.Header().Set("Location", api.ContractPath(c.Address, ""))
	writeJSON(w, http.StatusCreated, api.CreateContractResponse{Address: c.Address, TransactionHash: rc.TransactionHash})
}

func (h contracts) getContract(w http.ResponseWriter, r *http.Request) {
	c, err := h.ledger.Contract(r.Context(), r.PathValue("address"))
	h.reply(w, http.StatusOK, c, err)
}

// rules answers a GET of one rule with its bare value (1000, 2, true), as Ticketbooth does.
func (h contracts) rules(w http.ResponseWriter, r *http.Request, body func(ledger.Rules) any) {
	c, err := h.ledger.Contract(r.Context(), r.PathValue("address"))
	if err != nil {
		h.error(w, err)
		return
	}
	writeJSON(w, http.StatusOK, body(c.Rules))
}

func (h contracts) getFee(w http.ResponseWriter, r *http.Request) {
	h.rules(w, r, func(rl ledger.Rules) any { return rl.ReleaseFee })
}

func (h contracts) getNoReleaseBlocks(w http.ResponseWriter, r *http.Request) {
	h.rules(w, r, func(rl ledger.Rules) any { return rl.NoReleaseBlocks })
}

func (h contracts) getIdentityPolicy(w http.ResponseWriter, r *http.Request) {
	h.rules(w, r, func(rl ledger.Rules) any { return rl.RequireIdentityVerification })
}

// write runs a write that answers 201 {transactionHash}, after decoding the body into req
// (when req is not nil) and checking it with check.
func (h contracts) write(w http.ResponseWriter, r *http.Request, req any, check func() error, do func() (ledger.Receipt, error)) {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleOrganizer); err != nil {
		h.error(w, err)
		return
	}
	if err := ledger.ValidateAddress(r.PathValue("address")); err != nil {
		h.error(w, err)
		return
	}
	if req != nil {
		if err := decode(r, req); err != nil {
			h.error(w, err)
			return
		}
	}
	if check != nil {
		if err := check(); err != nil {
			h.error(w, err)
			return
		}
	}
	rc, err := do()
	if err != nil {
		h.error(w, err)
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

func (h contracts) setFee(w http.ResponseWriter, r *http.Request) {
	var req api.FeeBody
	h.write(w, r, &req, func() error { return required(req.Fee != nil, "fee") }, func() (ledger.Receipt, error) {
		return h.ledger.SetReleaseFee(r.Context(), r.PathValue("address"), *req.Fee)
	})
}

func (h contracts) setNoReleaseBlocks(w http.ResponseWriter, r *http.Request) {
	var req api.CountBody
	h.write(w, r, &req, func() error { return required(req.Count != nil, "count") }, func() (ledger.Receipt, error) {
		return h.ledger.SetNoReleaseBlocks(r.Context(), r.PathValue("address"), *req.Count)
	})
}

func (h contracts) setIdentityPolicy(w http.ResponseWriter, r *http.Request) {
	var req api.IdentityBody
	h.write(w, r, &req, func() error { return required(req.RequireIdentityVerification != nil, "requireIdentityVerification") },
		func() (ledger.Receipt, error) {
			return h.ledger.SetIdentityPolicy(r.Context(), r.PathValue("address"), *req.RequireIdentityVerification)
		})
}

// setRules sets several rules in one transaction: {fee?, noReleaseBlocks?,
// requireIdentityVerification?}.
func (h contracts) setRules(w http.ResponseWriter, r *http.Request) {
	var req ledger.RulesChange
	h.write(w, r, &req, func() error { return required(!req.Empty(), "fee, noReleaseBlocks or requireIdentityVerification") },
		func() (ledger.Receipt, error) { return h.ledger.SetRules(r.Context(), r.PathValue("address"), req) })
}

func (h contracts) transferContract(w http.ResponseWriter, r *http.Request) {
	var req api.OwnerBody
	h.write(w, r, &req, func() error { return required(req.Owner != "", "owner (key:ID)") }, func() (ledger.Receipt, error) {
		return h.ledger.TransferContract(r.Context(), r.PathValue("address"), req.Owner)
	})
}

// beginSale begins a sale: Ticketbooth's body, and optionally the sale's ticket types.
func (h contracts) beginSale(w http.ResponseWriter, r *http.Request) {
	var req api.BeginSaleRequest
	var d ledger.SaleDetails
	check := func() error {
		if err := required(req.Details != nil, "details {name, organiser, time, endOfSale}"); err != nil {
			return err
		}
		var err error
		d, err = req.SaleDetails()
		return err
	}
	h.write(w, r, &req, check, func() (ledger.Receipt, error) {
		return h.ledger.BeginSale(r.Context(), r.PathValue("address"), req.SeatPrices, d)
	})
}

func (h contracts) endSale(w http.ResponseWriter, r *http.Request) {
	var wallet struct{} // Ticketbooth clients send their wallet members: read, check, ignore
	var body any
	if r.ContentLength > 0 {
		body = &wallet
	}
	h.write(w, r, body, nil, func() (ledger.Receipt, error) {
		return h.ledger.EndSale(r.Context(), r.PathValue("address"))
	})
}
