package server

import (
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The routes that move a ticket to a customer and mail it (issuer.Deliverer): a transfer
// to a customer found or created by e-mail address, a bought offer, a reissue sent to its
// holder. A mail that cannot be queued does not undo the move: the answer says mailed
// false with the reason, and carries the ticket.

// transfer moves a ticket to the receiver and mails it to them.
func (h resale) transfer(w http.ResponseWriter, r *http.Request) {
	var body api.TransferBody
	err := decodeCustomer(r, &body, "a transfer (seat, to, and secret or sender)")
	if err == nil && body.Seat == nil {
		err = ledger.Errorf(ledger.EINVALID, "A transfer needs the seat")
	}
	if err != nil {
		h.error(w, err)
		return
	}
	d, err := h.deliver.Transfer(r.Context(), r.PathValue("address"),
		issuer.TransferRequest{Seat: *body.Seat, Secret: body.Secret, Sender: body.Sender}, body.Receiver, body.Send)
	h.delivered(w, d, err)
}

// buy buys an offer for a customer and mails the ticket to them.
func (h resale) buy(w http.ResponseWriter, r *http.Request) {
	id, err := offerID(r)
	var body api.BuyBody
	if err == nil {
		err = decodeCustomer(r, &body, "a purchase of an offer (customer)")
	}
	if err != nil {
		h.error(w, err)
		return
	}
	d, err := h.deliver.Buy(r.Context(), id, body.Customer, body.CustomerName, body.Send)
	h.delivered(w, d, err)
}

// reissueAndSend reissues a lost ticket and mails it to its holder.
func (h resale) reissueAndSend(w http.ResponseWriter, r *http.Request) {
	var body api.ReissueSendBody
	err := decodeCustomer(r, &body, "a reissue to send (seat, and customer or secret)")
	if err == nil && body.Seat == nil {
		err = ledger.Errorf(ledger.EINVALID, "A reissue needs the seat")
	}
	if err != nil {
		h.error(w, err)
		return
	}
	d, err := h.deliver.ReissueAndSend(r.Context(), r.PathValue("address"),
		issuer.ReissueRequest{Seat: *body.Seat, Secret: body.Secret, CustomerName: body.CustomerName}, body.Customer)
	h.delivered(w, d, err)
}

// delivered answers a delivery, logging a mail that could not be queued (the customer's
// id and the refusal's code, nothing personal).
func (h resale) delivered(w http.ResponseWriter, d api.Delivered, err error) {
	if err == nil && d.MailError != "" {
		h.log.Warn("ticket mail not queued", "customer", d.Customer)
	}
	h.reply(w, http.StatusOK, d, err)
}
