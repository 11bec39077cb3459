package server

import (
	"net/http"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// resale serves transfers, resale offers and the reissue of a lost ticket by e-mail
// (api/resale.go), when the server was given the ledger's resale side
// (Services.Resale). Moving a ticket needs the reseller and the customers too; mailing it
// needs the mailer. The store decides who may do what.
type resale struct {
	responder
	ledger  ledger.Resale
	deliver issuer.Deliverer // its Reseller, Sales, Customers and Mail may be nil
	wallets ledger.Wallets   // the codes kept under wallet links; nil: no holder's routes
}

func (h resale) routes(mux *http.ServeMux) {
	if h.ledger == nil {
		return
	}
	c, offer := contractPath, api.ResalePath+"/{offer}"
	mux.HandleFunc("GET "+c+"/ResaleTerms", h.terms)
	mux.HandleFunc("POST "+c+"/ResaleTerms", h.setTerms)
	mux.HandleFunc("GET "+c+"/ResaleOffers", h.offers)
	mux.HandleFunc("POST "+c+"/ResaleOffers", h.offer)
	mux.HandleFunc("GET "+c+"/ResaleCredits", h.credits)
	mux.HandleFunc("GET "+offer, h.readOffer)
	mux.HandleFunc("POST "+offer+"/withdraw", h.withdraw)
	if h.deliver.Reseller != nil && h.deliver.Customers != nil {
		mux.HandleFunc("POST "+c+"/TransferTicket", h.transfer)
		mux.HandleFunc("POST "+offer+"/buy", h.buy)
	}
	if h.deliver.Sales != nil && h.deliver.Customers != nil && h.deliver.Mail != nil {
		mux.HandleFunc("POST "+c+"/ReissueAndSend", h.reissueAndSend)
	}
	h.walletRoutes(mux)
}

func (h resale) terms(w http.ResponseWriter, r *http.Request) {
	t, err := h.ledger.ResaleTerms(r.Context(), r.PathValue("address"))
	h.reply(w, http.StatusOK, t, err)
}

func (h resale) setTerms(w http.ResponseWriter, r *http.Request) {
	var t ledger.ResaleTerms
	if err := decodeCustomer(r, &t, "resale terms (capPercent or capAmount, feePercent or feeAmount)"); err != nil {
		h.error(w, err)
		return
	}
	rc, err := h.ledger.SetResaleTerms(r.Context(), r.PathValue("address"), t)
	h.reply(w, http.StatusOK, rc, err)
}

func (h resale) offers(w http.ResponseWriter, r *http.Request) {
	list, err := h.ledger.ResaleOffers(r.Context(), r.PathValue("address"))
	h.reply(w, http.StatusOK, api.OffersResponse{Offers: list}, err)
}

func (h resale) credits(w http.ResponseWriter, r *http.Request) {
	list, err := h.ledger.ResaleCredits(r.Context(), r.PathValue("address"))
	h.reply(w, http.StatusOK, api.CreditsResponse{Credits: list}, err)
}

// offer answers 201 with the new offer and its path in the Location header.
func (h resale) offer(w http.ResponseWriter, r *http.Request) {
	var body api.OfferBody
	if err := decodeCustomer(r, &body, "a resale offer (seat, price, and secret or sender)"); err != nil {
		h.error(w, err)
		return
	}
	if body.Seat == nil || body.Price == nil {
		h.error(w, ledger.Errorf(ledger.EINVALID, "A resale offer needs the seat and the price"))
		return
	}
	o, err := h.ledger.OfferResale(r.Context(), r.PathValue("address"),
		ledger.OfferRequest{Seat: *body.Seat, Secret: body.Secret, Sender: body.Sender, Price: *body.Price})
	if err == nil {
		w.Header().Set("Location", api.OfferPath(o.ID, ""))
	}
	h.reply(w, http.StatusCreated, o, err)
}

func (h resale) readOffer(w http.ResponseWriter, r *http.Request) {
	id, err := offerID(r)
	if err != nil {
		h.error(w, err)
		return
	}
	o, err := h.ledger.ResaleOffer(r.Context(), id)
	h.reply(w, http.StatusOK, o, err)
}

func (h resale) withdraw(w http.ResponseWriter, r *http.Request) {
	id, err := offerID(r)
	var body api.WithdrawBody
	if err == nil && r.ContentLength != 0 {
		err = decodeCustomer(r, &body, "a withdrawal (secret or sender)")
	}
	if err != nil {
		h.error(w, err)
		return
	}
	o, err := h.ledger.WithdrawResale(r.Context(), id, ledger.WithdrawRequest{Secret: body.Secret, Sender: body.Sender})
	h.reply(w, http.StatusOK, o, err)
}

// offerID reads the {offer} of an offer's route.
func offerID(r *http.Request) (int64, error) {
	text := r.PathValue("offer")
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return 0, ledger.Errorf(ledger.EINVALID, "Offer id %q must be a positive whole number", clipText(text, 40))
	}
	return id, nil
}
