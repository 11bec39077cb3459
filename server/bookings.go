package server

import (
	"bytes"
	"io"
	"net/http"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// bookings serve the shop's bookings under api.BookingsPath, when the server was given
// them (Services.Bookings): opened, read, seats held and freed, confirmed (by the
// issuer, Services.Confirmer: fresh secrets and keys, answered once; or with tickets the
// caller sealed, confirmSealed), sent again by e-mail (Services.Resender: reissued) and
// cancelled.
// Every route needs a key that may sell on the booking's contract (the store decides).
type bookings struct {
	responder
	bookings  ledger.Bookings
	confirmer issuer.BookingConfirmer // nil: confirming is not served
	resender  issuer.Resender         // nil: sending again is not served
}

func (h bookings) routes(mux *http.ServeMux) {
	if h.bookings == nil {
		return
	}
	one := api.BookingsPath + "/{id}"
	mux.HandleFunc("POST "+api.BookingsPath, h.create)
	mux.HandleFunc("GET "+one, h.read)
	mux.HandleFunc("POST "+one+"/tickets", h.hold)
	mux.HandleFunc("DELETE "+one+"/tickets/{seat}", h.free)
	mux.HandleFunc("POST "+one+"/cancel", h.cancel)
	mux.HandleFunc("POST "+one+"/confirmSealed", h.confirmSealed)
	if h.confirmer != nil {
		mux.HandleFunc("POST "+one+"/confirm", h.confirm)
	}
	if h.resender != nil {
		mux.HandleFunc("POST "+one+"/send", h.send)
	}
}

// create answers 201 with the new booking and its path in the Location header.
func (h bookings) create(w http.ResponseWriter, r *http.Request) {
	var body api.NewBookingRequest
	if err := h.request(r, &body, false); err != nil {
		h.error(w, err)
		return
	}
	b, err := h.bookings.OpenBooking(r.Context(), ledger.BookingRequest(body))
	if err == nil {
		w.Header().Set("Location", api.BookingPath(b.ID, ""))
	}
	h.reply(w, http.StatusCreated, b, err)
}

func (h bookings) read(w http.ResponseWriter, r *http.Request) {
	id, err := bookingID(r)
	if err != nil {
		h.error(w, err)
		return
	}
	b, err := h.bookings.Booking(r.Context(), id)
	h.reply(w, http.StatusOK, b, err)
}

// hold answers the receipt of the hold and the booking as it then is: the seats named,
// or those the ledger picks (section, priceLevel, quantity, type), not both.
func (h bookings) hold(w http.ResponseWriter, r *http.Request) {
	id, err := bookingID(r)
	var body api.HoldRequest
	if err == nil {
		err = h.request(r, &body, false)
	}
	var items []ledger.HoldItem
	var pick *ledger.Pick
	if err == nil {
		items, pick, err = body.Hold()
	}
	if err != nil {
		h.error(w, err)
		return
	}
	var rc ledger.BookingReceipt
	if pick != nil {
		rc, err = h.bookings.HoldBest(r.Context(), id, *pick)
	} else {
		rc, err = h.bookings.Hold(r.Context(), id, items)
	}
	h.reply(w, http.StatusOK, rc, err)
}

func (h bookings) free(w http.ResponseWriter, r *http.Request) {
	id, err := bookingID(r)
	var seat ledger.Seat
	if err == nil {
		seat, err = ledger.ParseSeat(r.PathValue("seat"))
	}
	if err != nil {
		h.error(w, err)
		return
	}
	rc, err := h.bookings.Free(r.Context(), id, seat)
	h.reply(w, http.StatusOK, rc, err)
}

func (h bookings) cancel(w http.ResponseWriter, r *http.Request) {
	id, err := bookingID(r)
	if err != nil {
		h.error(w, err)
		return
	}
	rc, err := h.bookings.Cancel(r.Context(), id)
	h.reply(w, http.StatusOK, rc, err)
}

// confirm answers 201 with the purchase: the tickets, their secrets and keys (shown this
// once) and the QR texts, as ReserveTickets does.
func (h bookings) confirm(w http.ResponseWriter, r *http.Request) {
	id, err := bookingID(r)
	var body api.ConfirmBookingRequest
	if err == nil {
		err = h.request(r, &body, true)
	}
	if err != nil {
		h.error(w, err)
		return
	}
	p, err := h.confirmer.ConfirmBooking(r.Context(), id, body.Request())
	if err == nil {
		w.Header().Set("X-Transaction-Hash", p.TransactionHash)
	}
	h.reply(w, http.StatusCreated, p, err)
}

// send reissues the confirmed booking's tickets not checked in and mails the new ones to
// its customer, and answers 200 with the seats reissued and those skipped. The body
// (optional) names the purchaser under the identity policy.
func (h bookings) send(w http.ResponseWriter, r *http.Request) {
	id, err := bookingID(r)
	var body issuer.ResendRequest
	if err == nil {
		err = h.request(r, &body, true)
	}
	if err != nil {
		h.error(w, err)
		return
	}
	out, err := h.resender.ResendBooking(r.Context(), id, body)
	h.reply(w, http.StatusOK, out, err)
}

// confirmSealed confirms the booking with tickets the caller sealed (and wrote down)
// first, the body of ReserveSealedTickets, and answers 201 with the order's receipt; the
// server never sees the secrets.
func (h bookings) confirmSealed(w http.ResponseWriter, r *http.Request) {
	id, err := bookingID(r)
	var body api.ReserveSealedTicketsRequest
	if err == nil {
		err = h.request(r, &body, false)
	}
	var o ledger.Order
	if err == nil {
		o, err = body.Order()
	}
	if err != nil {
		h.error(w, err)
		return
	}
	rc, err := h.bookings.Confirm(r.Context(), id, o)
	if err == nil {
		w.Header().Set("X-Transaction-Hash", rc.TransactionHash)
	}
	h.reply(w, http.StatusCreated, rc, err)
}

// request checks that the key may sell (401 or 403 before the body is read), then
// decodes the body into v; optional: an empty body leaves v as it is.
func (h bookings) request(r *http.Request, v any, optional bool) error {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleBoxOffice, ledger.RoleOrganizer); err != nil {
		return err
	}
	if optional {
		data, err := io.ReadAll(r.Body)
		if err != nil {
			return bodyError(err)
		}
		if len(bytes.TrimSpace(data)) == 0 {
			return nil
		}
		r.Body = io.NopCloser(bytes.NewReader(data))
	}
	return decode(r, v)
}

// bookingID reads the {id} of the path: EINVALID unless it is a positive whole number.
func bookingID(r *http.Request) (int64, error) {
	text := r.PathValue("id")
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil || id <= 0 {
		if len(text) > 40 {
			text = text[:40] + "..."
		}
		return 0, ledger.Errorf(ledger.EINVALID, "Booking id %q must be a positive whole number", text)
	}
	return id, nil
}
