package server

import (
	"context"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// The holder's own routes, from the wallet page: authorized by the wallet link's token
// ("Authorization: Wallet TOKEN", as the wallet's routes are), they prove holding by the
// secret in the ticket's code kept under the link, and act as ledger.WalletActor. A
// transfer needs the mailer: the new ticket goes to the receiver only, never back to the
// page that gave it away. The routes share one rate limit per client address.

// walletRoutes adds the holder's routes when the server has the wallets and can move and
// mail tickets.
func (h resale) walletRoutes(mux *http.ServeMux) {
	if h.wallets == nil || h.deliver.Reseller == nil || h.deliver.Customers == nil {
		return
	}
	limit := newRateLimit(WalletRate, WalletBurst)
	public := func(fn http.HandlerFunc) http.HandlerFunc { return limit.wrap(h.responder, fn) }
	one := api.WalletPath + "/tickets/{id}"
	mux.HandleFunc("POST "+one+"/offer", public(h.walletOffer))
	mux.HandleFunc("POST "+one+"/withdraw", public(h.walletWithdraw))
	if h.deliver.Mail != nil {
		mux.HandleFunc("POST "+one+"/transfer", public(h.walletTransfer))
	}
	if h.deliver.Mail != nil && h.deliver.Sales != nil {
		mux.HandleFunc("POST "+one+"/reissue", public(h.walletReissue))
	}
}

// heldCode reads the request's wallet token and the code kept under it for the path's
// ticket, and returns the wallet actor's context, the contract and the ticket's seat and
// secret; or answers the refusal and returns ok false.
func (h resale) heldCode(w http.ResponseWriter, r *http.Request) (ctx context.Context, address string, t ledger.QRTicket, ok bool) {
	w.Header().Set("Cache-Control", "no-store")
	err := func() error {
		token, err := walletToken(r.Header.Get("Authorization"))
		if err != nil {
			return err
		}
		id, err := ledger.ParseTicketID(r.PathValue("id"))
		if err != nil {
			return err
		}
		qr, err := h.wallets.Code(r.Context(), token, id)
		if err != nil {
			return err
		}
		tickets, err := scanner.ParseQR(qr)
		if err != nil || len(tickets) != 1 {
			return ledger.Errorf(ledger.EREFUSED, "This ticket's code in the wallet holds more than one ticket: ask the box office")
		}
		address, t = id.Contract, tickets[0]
		return nil
	}()
	if err != nil {
		if ledger.ErrorCode(err) == ledger.EUNAUTHORIZED {
			w.Header().Set("WWW-Authenticate", api.WalletScheme+` realm="wallet"`)
		}
		h.error(w, err)
		return nil, "", ledger.QRTicket{}, false
	}
	return ledger.WithActor(r.Context(), ledger.WalletActor), address, t, true
}

// walletTransfer gives the ticket to the person the body names by e-mail address: it is
// mailed to them; the answer says only whether it was.
func (h resale) walletTransfer(w http.ResponseWriter, r *http.Request) {
	ctx, address, t, ok := h.heldCode(w, r)
	if !ok {
		return
	}
	var body api.WalletTransferBody
	if err := decodeCustomer(r, &body, "a transfer (to: email, firstName, lastName, locale)"); err != nil {
		h.error(w, err)
		return
	}
	d, err := h.deliver.TransferFromWallet(ctx, address, issuer.TransferRequest{Seat: t.Seat, Secret: t.Secret}, body.Receiver)
	h.reply(w, http.StatusOK, api.WalletTransferred{Mailed: d.Mailed, MailError: d.MailError}, err)
}

// walletOffer offers the ticket for resale at the body's price.
func (h resale) walletOffer(w http.ResponseWriter, r *http.Request) {
	ctx, address, t, ok := h.heldCode(w, r)
	if !ok {
		return
	}
	var body api.OfferBody
	err := decodeCustomer(r, &body, "a resale offer (price)")
	if err == nil && body.Price == nil {
		err = ledger.Errorf(ledger.EINVALID, "A resale offer needs the price")
	}
	if err != nil {
		h.error(w, err)
		return
	}
	o, err := h.ledger.OfferResale(ctx, address, ledger.OfferRequest{Seat: t.Seat, Secret: t.Secret, Price: *body.Price})
	h.reply(w, http.StatusCreated, o, err)
}

// walletWithdraw withdraws the ticket's offer named in the body.
func (h resale) walletWithdraw(w http.ResponseWriter, r *http.Request) {
	ctx, _, t, ok := h.heldCode(w, r)
	if !ok {
		return
	}
	var body api.WalletWithdrawBody
	if err := decodeCustomer(r, &body, "a withdrawal (offer)"); err != nil {
		h.error(w, err)
		return
	}
	o, err := h.ledger.WithdrawResale(ctx, body.Offer, ledger.WithdrawRequest{Secret: t.Secret})
	h.reply(w, http.StatusOK, o, err)
}

// walletReissue sends a lost ticket again: a ticket the link's customer holds now (the
// wallet lists it, whether or not this link keeps its code) is reissued, its old code
// refused from then on, and the new one mailed to the customer with a new link. The
// server reissues on the holder's behalf, as the administrator: the holding is proven by
// the link. The answer says only whether the mail was queued.
func (h resale) walletReissue(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	seat, address, err := h.walletHeld(r)
	if err != nil {
		if ledger.ErrorCode(err) == ledger.EUNAUTHORIZED {
			w.Header().Set("WWW-Authenticate", api.WalletScheme+` realm="wallet"`)
		}
		h.error(w, err)
		return
	}
	office := ledger.WithActor(r.Context(), ledger.Actor{Admin: true, Name: "wallet"})
	d, err := h.deliver.ReissueAndSend(office, address, issuer.ReissueRequest{Seat: seat}, 0)
	h.reply(w, http.StatusOK, api.WalletTransferred{Mailed: d.Mailed, MailError: d.MailError}, err)
}

// walletHeld returns the seat and contract of the path's ticket when the request's link
// lists it among the tickets its customer holds now: ENOTFOUND otherwise.
func (h resale) walletHeld(r *http.Request) (ledger.Seat, string, error) {
	token, err := walletToken(r.Header.Get("Authorization"))
	if err != nil {
		return ledger.Seat{}, "", err
	}
	id, err := ledger.ParseTicketID(r.PathValue("id"))
	if err != nil {
		return ledger.Seat{}, "", err
	}
	wl, err := h.wallets.Wallet(r.Context(), token)
	if err != nil {
		return ledger.Seat{}, "", err
	}
	for _, t := range wl.Tickets {
		if t.ID == id.String() && t.Status == ledger.TicketIssued {
			return t.Seat, t.Contract, nil
		}
	}
	return ledger.Seat{}, "", ledger.Errorf(ledger.ENOTFOUND, "This ticket is not in the wallet, or it was used at the gate")
}
