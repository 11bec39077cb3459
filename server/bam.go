package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// bam serves the facade of seed 002's wallet platform under api.BamPrefix, when the
// server was given its numbers (Services.Bam) and the bookings with their confirmer:
// reserving tickets for an owner (a booking of the customer, its seats held), freeing
// them (freed or the booking cancelled) and issuing them (the booking confirmed by the
// issuer), the tickets of an owner (the shop's ticket list, Services.TicketLists), and
// the events whose numbers the platform's bodies carry. Every route needs a
// key that may sell on the event's contract (the store decides).
type bam struct {
	responder
	ids       ledger.BamIDs
	bookings  ledger.Bookings
	confirmer issuer.BookingConfirmer
	lists     ledger.TicketLists // nil: GET v1/ticket is not served
}

func (h bam) routes(mux *http.ServeMux) {
	if h.ids == nil || h.bookings == nil || h.confirmer == nil {
		return
	}
	for _, v := range []string{"", "v1/"} {
		mux.HandleFunc("POST "+api.BamPrefix+v+"ticket/reserve", h.reserve)
		mux.HandleFunc("POST "+api.BamPrefix+v+"ticket/free", h.free)
		mux.HandleFunc("POST "+api.BamPrefix+v+"ticket/issue", h.issue)
	}
	mux.HandleFunc("POST "+api.BamPrefix+"v1/event", h.registerEvent)
	mux.HandleFunc("GET "+api.BamPrefix+"v1/event/{id}", h.event)
	if h.lists != nil {
		mux.HandleFunc("GET "+api.BamPrefix+"v1/ticket", h.tickets)
	}
}

// registerEvent answers the contract as an event, with the numbers of its sectors,
// timeslots and ticket configs (given the first time it is asked).
func (h bam) registerEvent(w http.ResponseWriter, r *http.Request) {
	var body api.BamEventRequest
	if err := h.request(r, &body); err != nil {
		h.error(w, err)
		return
	}
	e, err := h.ids.BamEvent(r.Context(), body.Contract)
	h.reply(w, http.StatusOK, api.BamData[api.BamEvent]{Data: api.BamEventOf(e)}, err)
}

// event answers the event with the id of the path.
func (h bam) event(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		h.error(w, ledger.Errorf(ledger.EINVALID, "Event id %q must be a positive whole number", clipText(r.PathValue("id"), 40)))
		return
	}
	e, err := h.ids.BamEventByID(r.Context(), id)
	h.reply(w, http.StatusOK, api.BamData[api.BamEvent]{Data: api.BamEventOf(e)}, err)
}

// request checks that the key may sell (401 or 403 before the body is read), then
// decodes the body into v.
func (h bam) request(r *http.Request, v any) error {
	if _, err := ledger.Authorize(r.Context(), ledger.RoleBoxOffice, ledger.RoleOrganizer); err != nil {
		return err
	}
	return decode(r, v)
}

// ticketIDs reads the body of free and issue: the tickets' ids.
func (h bam) ticketIDs(r *http.Request) ([]int64, error) {
	var body api.BamTicketIDs
	if err := h.request(r, &body); err != nil {
		return nil, err
	}
	return body.Check()
}

// answerTickets answers the tickets with status.
func (h bam) answerTickets(w http.ResponseWriter, status int, ts []ledger.BamTicket, err error) {
	out := make([]api.BamTicket, len(ts))
	for i, t := range ts {
		out[i] = api.BamTicketOf(t)
	}
	h.reply(w, status, api.BamData[[]api.BamTicket]{Data: out}, err)
}

// bookingTickets reads the booking's tickets of the status.
func (h bam) bookingTickets(ctx context.Context, booking int64, status string) ([]ledger.BamTicket, error) {
	all, err := h.ids.BamBookingTickets(ctx, booking)
	var out []ledger.BamTicket
	for _, t := range all {
		if t.Status == status {
			out = append(out, t)
		}
	}
	return out, err
}
