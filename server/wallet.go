package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// wallets serve the customers' wallets (Services.Wallets): the wallet page, the routes
// under api.WalletPath authorized by a wallet link's token ("Authorization: Wallet
// TOKEN", never an API key), each bound per client by a rate limit, and the route by
// which the box office or organizer makes a new link for a customer. The token travels
// only in that header, never in a path or query, so the request log never shows it.
type wallets struct {
	responder
	wallets ledger.Wallets
	mail    walletMailer // nil: no resending by e-mail
	limit   *rateLimit
}

// The rate of the wallet's routes per client address: a burst of WalletBurst requests,
// then WalletRate a second.
const (
	WalletRate  = 5
	WalletBurst = 30
)

// walletMailer resends a customer's wallet by e-mail (issuer.WalletResender).
type walletMailer interface {
	ResendWallet(ctx context.Context, customer int64) (ledger.WalletResend, error)
}

// walletMail is the resender of the server's services: nil unless it mails tickets
// (TicketMail) and has the issuer and the wallets it needs.
func walletMail(svc Services) walletMailer {
	if svc.TicketMail == nil || svc.Sales == nil || svc.Wallets == nil {
		return nil
	}
	return &issuer.WalletResender{Wallets: svc.Wallets, Issuer: svc.Sales, Mailer: svc.TicketMail}
}

func (h wallets) routes(mux *http.ServeMux) {
	if h.wallets == nil {
		return
	}
	page := webAssets()["wallet.html"]
	mux.HandleFunc("GET "+api.WalletPage, func(w http.ResponseWriter, r *http.Request) { servePage(w, r, page) })
	public := func(fn http.HandlerFunc) http.HandlerFunc { return h.limit.wrap(h.responder, fn) }
	mux.HandleFunc("GET "+api.WalletPath, public(h.list))
	mux.HandleFunc("GET "+api.WalletPath+"/tickets/{id}/code", public(h.code))
	mux.HandleFunc("GET "+api.WalletPath+"/tickets/{id}/code.png", public(h.codePNG))
	mux.HandleFunc("POST "+api.WalletRevokePath, public(h.revoke))
	mux.HandleFunc("POST "+api.CustomersPath+"/{id}/wallet-link", h.newLink)
}

// walletToken reads the token of the header "Authorization: Wallet TOKEN":
// EUNAUTHORIZED in words when the header is missing, of another scheme or malformed.
func walletToken(header string) (string, error) {
	token, ok := strings.CutPrefix(header, api.WalletScheme+" ")
	if !ok || strings.TrimSpace(token) == "" {
		return "", ledger.Errorf(ledger.EUNAUTHORIZED, "The wallet needs the token of its link: send Authorization: Wallet <token>")
	}
	token = strings.TrimSpace(token)
	if _, err := ledger.ParseWalletToken(token); err != nil {
		return "", err
	}
	return token, nil
}

// authorized returns the request's wallet token, or answers 401 and returns "".
func (h wallets) authorized(w http.ResponseWriter, r *http.Request) string {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	token, err := walletToken(r.Header.Get("Authorization"))
	if err != nil {
		h.fail(w, err)
		return ""
	}
	return token
}

// fail answers err, naming the wallet's scheme when it is a 401.
func (h wallets) fail(w http.ResponseWriter, err error) {
	if ledger.ErrorCode(err) == ledger.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", api.WalletScheme+` realm="wallet"`)
	}
	h.error(w, err)
}

// list answers the customer's tickets (ledger.Wallet).
func (h wallets) list(w http.ResponseWriter, r *http.Request) {
	token := h.authorized(w, r)
	if token == "" {
		return
	}
	wl, err := h.wallets.Wallet(r.Context(), token)
	if err != nil {
		h.fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, wl)
}

// ticketCode returns the QR text of the path's ticket under the request's token, or
// answers the refusal and returns "".
func (h wallets) ticketCode(w http.ResponseWriter, r *http.Request) (ledger.TicketID, string) {
	token := h.authorized(w, r)
	if token == "" {
		return ledger.TicketID{}, ""
	}
	id, err := ledger.ParseTicketID(r.PathValue("id"))
	if err == nil {
		var qr string
		if qr, err = h.wallets.Code(r.Context(), token, id); err == nil {
			return id, qr
		}
	}
	h.fail(w, err)
	return ledger.TicketID{}, ""
}

// code answers a ticket's QR text (api.WalletCode).
func (h wallets) code(w http.ResponseWriter, r *http.Request) {
	if id, qr := h.ticketCode(w, r); qr != "" {
		writeJSON(w, http.StatusOK, api.WalletCode{Ticket: id.String(), QR: qr})
	}
}

// codePNG answers a ticket's QR code as a PNG image, pngModulePx a module.
func (h wallets) codePNG(w http.ResponseWriter, r *http.Request) {
	_, qr := h.ticketCode(w, r)
	if qr == "" {
		return
	}
	png, err := ticketpdf.QRPNG(qr, ticketpdf.DefaultRecovery, pngModulePx)
	if err != nil {
		h.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

// revoke revokes the request's link, for its holder: 204.
func (h wallets) revoke(w http.ResponseWriter, r *http.Request) {
	token := h.authorized(w, r)
	if token == "" {
		return
	}
	if err := h.wallets.RevokeLink(r.Context(), token); err != nil {
		h.fail(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// newLink makes a new wallet link for the path's customer, first revoking the
// customer's links when the body asks (api.WalletLinkBody; no body: keep them), and
// answers 201 with the token, shown only this once; or, with send, resends the wallet by
// e-mail and answers 200 with what was done.
func (h wallets) newLink(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	id, err := customerID(r)
	var body api.WalletLinkBody
	if err == nil && r.ContentLength != 0 {
		err = decode(r, &body)
	}
	if err == nil && body.Send {
		h.resend(w, r, id)
		return
	}
	out := api.WalletLinkResponse{Customer: id}
	if err == nil {
		out.Token, out.Revoked, err = ledger.RenewWalletLink(r.Context(), h.wallets, id, body.Revoke)
		out.Link = api.WalletLink(out.Token)
	}
	h.reply(w, http.StatusCreated, out, err)
}

// resend revokes the customer's links, reissues their tickets and mails them with a new
// link: EREFUSED in words when this server sends no e-mail.
func (h wallets) resend(w http.ResponseWriter, r *http.Request, customer int64) {
	if h.mail == nil {
		h.error(w, ledger.Errorf(ledger.EREFUSED, "This server sends no e-mail, so it cannot mail a new wallet link: "+
			"make a link without send and give it to the customer"))
		return
	}
	out, err := h.mail.ResendWallet(r.Context(), customer)
	h.reply(w, http.StatusOK, out, err)
}
