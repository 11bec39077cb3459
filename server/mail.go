package server

import (
	"net/http"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// mails serve the mail queue under api.MailPath, when the server was given it
// (Services.Mails): its rows, never a message. Box-office and organizer keys read it,
// organizers retry; the store decides, and shows whole recipient addresses to the
// administrator only.
type mails struct {
	responder
	view ledger.MailView
}

func (h mails) routes(mux *http.ServeMux) {
	if h.view == nil {
		return
	}
	mux.HandleFunc("GET "+api.MailPath, h.list)
	mux.HandleFunc("GET "+api.MailPath+"/{id}", h.read)
	mux.HandleFunc("POST "+api.MailPath+"/{id}/retry", h.retry)
}

func (h mails) list(w http.ResponseWriter, r *http.Request) {
	f, err := api.ParseMailQuery(r.URL.Query())
	var list []ledger.QueuedMail
	if err == nil {
		list, err = h.view.Mails(r.Context(), f)
	}
	h.reply(w, http.StatusOK, list, err)
}

func (h mails) read(w http.ResponseWriter, r *http.Request) {
	id, err := mailID(r)
	var m ledger.QueuedMail
	if err == nil {
		m, err = h.view.Mail(r.Context(), id)
	}
	h.reply(w, http.StatusOK, m, err)
}

// retry answers the mail as it is after the retry.
func (h mails) retry(w http.ResponseWriter, r *http.Request) {
	id, err := mailID(r)
	if err == nil {
		err = h.view.RetryMail(r.Context(), id)
	}
	var m ledger.QueuedMail
	if err == nil {
		m, err = h.view.Mail(r.Context(), id)
	}
	h.reply(w, http.StatusOK, m, err)
}

func mailID(r *http.Request) (int64, error) {
	text := r.PathValue("id")
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		return 0, ledger.Errorf(ledger.EINVALID, "Mail id %q must be a positive whole number", clipText(text, 40))
	}
	return id, nil
}
