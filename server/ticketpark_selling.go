package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The bodies of Ticketpark's selling requests, as its cookbook "create booking" sends them.
type (
	tpPersonBody struct {
		Salutation string           `json:"salutation"`
		Firstname  string           `json:"firstname"`
		Lastname   string           `json:"lastname"`
		Company    string           `json:"company"`
		Email      string           `json:"email"`
		Phone      string           `json:"phone"`
		Locale     string           `json:"locale"`
		Address    tpPersonAddrBody `json:"address"`
	}
	tpPersonAddrBody struct {
		Country  string `json:"country"`
		Address1 string `json:"address1"`
		Address2 string `json:"address2"`
		Zip      string `json:"zip"`
		City     string `json:"city"`
	}
	tpBookingBody struct {
		Customer string `json:"customer"`
	}
	tpBookingPatch struct {
		Confirmation *bool `json:"confirmation"`
		Delivery     *bool `json:"delivery"`
	}
	tpEmailBody struct {
		Booking string `json:"booking"`
		Type    string `json:"type"`
	}
)

// createPersons records each person as a customer of the shop; a person's pid is the
// customer's id.
func (h ticketpark) createPersons(w http.ResponseWriter, r *http.Request) {
	items, many, err := tpBody[tpPersonBody](r)
	var pids []string
	for i := 0; err == nil && i < len(items); i++ {
		b := items[i]
		var c ledger.Customer
		c, err = h.customers.CreateCustomer(r.Context(), ledger.Customer{Salutation: b.Salutation, FirstName: b.Firstname,
			LastName: b.Lastname, Company: b.Company, Email: b.Email, Phone: b.Phone, Locale: b.Locale,
			Address: ledger.PostalAddress(b.Address)})
		pids = append(pids, strconv.FormatInt(c.ID, 10))
	}
	h.created(w, "persons", pids, many, err)
}

// person reads the customer a person's pid names: ENOTFOUND for a pid that names none.
func (h ticketpark) person(ctx context.Context, pid string) (ledger.Customer, error) {
	id, err := strconv.ParseInt(pid, 10, 64)
	if err != nil || id <= 0 {
		if _, err := ledger.Authorize(ctx, ledger.CustomerRoles...); err != nil {
			return ledger.Customer{}, err
		}
		return ledger.Customer{}, ledger.Errorf(ledger.ENOTFOUND, "No person with pid %q", clip(pid))
	}
	c, err := h.customers.Customer(ctx, id)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		err = ledger.Errorf(ledger.ENOTFOUND, "No person with pid %q", pid)
	}
	return c, err
}

// createBookings opens a booking for each customer; its tickets go to a ledger booking
// on their show's contract, opened with the first of them (see tickets).
func (h ticketpark) createBookings(w http.ResponseWriter, r *http.Request) {
	items, many, err := tpBody[tpBookingBody](r)
	var pids []string
	for i := 0; err == nil && i < len(items); i++ {
		var c ledger.Customer
		if items[i].Customer == "" {
			err = ledger.Errorf(ledger.EINVALID, "Booking %d needs a customer: the pid of a person", i+1)
		} else if c, err = h.person(r.Context(), items[i].Customer); err == nil && c.Erased {
			err = ledger.Errorf(ledger.EREFUSED, "Person %s was erased and cannot book", items[i].Customer)
		}
		if err == nil {
			var b ledger.TicketparkBooking
			b, err = h.records.AddBooking(r.Context(), ledger.TicketparkBooking{Customer: c.ID})
			pids = append(pids, b.Pid)
		}
	}
	h.created(w, "bookings", pids, many, err)
}

// patchBooking sets the booking's delivery and confirms it (confirmation: true): the
// issuer issues its held tickets with fresh secrets, and the answer, the booking as
// GET bookings/{pid} reads it, carries each ticket's QR text this once.
func (h ticketpark) patchBooking(w http.ResponseWriter, r *http.Request) {
	var body tpBookingPatch
	b, err := h.records.Booking(r.Context(), r.PathValue("pid"))
	if err == nil {
		err = decode(r, &body)
	}
	if err == nil && body.Delivery != nil {
		err = h.records.SetDelivery(r.Context(), b.Pid, *body.Delivery)
	}
	var p *issuer.Purchase
	if err == nil && body.Confirmation != nil {
		p, err = h.confirm(r.Context(), b, *body.Confirmation)
	}
	if err != nil {
		h.error(w, err)
		return
	}
	out, err := h.bookingView(r.Context(), b.Pid, true, true, p)
	h.reply(w, http.StatusOK, out, err)
}

// confirm confirms the booking's ledger booking through the issuer, one ticket a QR code.
// confirmation false asks for nothing, but a confirmed booking cannot be unconfirmed.
func (h ticketpark) confirm(ctx context.Context, b ledger.TicketparkBooking, confirmation bool) (*issuer.Purchase, error) {
	if b.Booking == 0 {
		if !confirmation {
			return nil, nil
		}
		return nil, ledger.Errorf(ledger.EREFUSED, "Booking %s holds no tickets: POST tickets/ first", b.Pid)
	}
	if !confirmation {
		lb, err := h.bookings.Booking(ctx, b.Booking)
		if err == nil && lb.State == ledger.BookingConfirmed {
			err = ledger.Errorf(ledger.ECONFLICT, "Booking %s is confirmed: its tickets are issued, and it cannot be unconfirmed", b.Pid)
		}
		return nil, err
	}
	if h.confirmer == nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "the server was started without its booking confirmer")
	}
	p, err := h.confirmer.ConfirmBooking(ctx, b.Booking, issuer.ConfirmRequest{TicketsPerQR: 1})
	if err != nil {
		return nil, tpBookingError(b.Pid, err)
	}
	return &p, nil
}

// tpBookingError names the Ticketpark booking in a refusal that names the ledger's.
func tpBookingError(pid string, err error) error {
	code := ledger.ErrorCode(err)
	if code == ledger.EINTERNAL || code == ledger.EUNAUTHORIZED || code == ledger.EFORBIDDEN {
		return err
	}
	return ledger.Errorf(code, "Booking %s: %s", pid, ledger.ErrorMessage(err))
}

// sendEmail sends the confirmed booking's tickets again (202): the ledger keeps no ticket
// keys, so they are reissued (their old codes refused from then on, those checked in
// skipped) and mailed, when the server mails (Services.Resender); it records the request
// in any case. The answer names the seats reissued and skipped.
func (h ticketpark) sendEmail(w http.ResponseWriter, r *http.Request) {
	var body tpEmailBody
	var out tpEmailSent
	if _, err := ledger.Authorize(r.Context(), ledger.CustomerRoles...); err != nil {
		h.error(w, err)
		return
	}
	err := decode(r, &body)
	switch {
	case err != nil:
	case body.Booking == "":
		err = ledger.Errorf(ledger.EINVALID, "Name the booking whose mail to send")
	case body.Type != "confirmation":
		err = ledger.Errorf(ledger.EINVALID, "Mail type %q is not one this server sends: use \"confirmation\"", clip(body.Type))
	default:
		var b ledger.TicketparkBooking
		if b, err = h.confirmed(r.Context(), body.Booking); err == nil {
			err = h.records.RecordEmail(r.Context(), body.Booking, body.Type)
		}
		if err == nil && h.resender != nil {
			out.Reissued, out.Skipped, err = h.resend(r.Context(), b)
		}
	}
	out.Booking, out.Type, out.Status = body.Booking, body.Type, "accepted"
	h.reply(w, http.StatusAccepted, out, err)
}

// tpEmailSent is the answer of email/send: the booking, the mail type, "accepted", and
// when the server mails, the seats reissued and mailed and those skipped, with why.
type tpEmailSent struct {
	Booking  string                 `json:"booking"`
	Type     string                 `json:"type"`
	Status   string                 `json:"status"`
	Reissued []string               `json:"reissued,omitempty"`
	Skipped  []issuer.SkippedTicket `json:"skipped,omitempty"`
}

// resend reissues and mails the booking's tickets, and returns their seats as text.
func (h ticketpark) resend(ctx context.Context, b ledger.TicketparkBooking) ([]string, []issuer.SkippedTicket, error) {
	rs, err := h.resender.ResendBooking(ctx, b.Booking, issuer.ResendRequest{})
	if err != nil {
		return nil, nil, tpBookingError(b.Pid, err)
	}
	seats := make([]string, len(rs.Reissued))
	for i, s := range rs.Reissued {
		seats[i] = s.String()
	}
	return seats, rs.Skipped, nil
}

// confirmed returns the booking when it is confirmed, ECONFLICT in words when not.
func (h ticketpark) confirmed(ctx context.Context, pid string) (ledger.TicketparkBooking, error) {
	b, err := h.records.Booking(ctx, pid)
	if err != nil || b.Booking == 0 {
		if err == nil {
			err = ledger.Errorf(ledger.ECONFLICT, "Booking %s is not confirmed: it holds no tickets yet", pid)
		}
		return b, err
	}
	lb, err := h.bookings.Booking(ctx, b.Booking)
	if err == nil && lb.State != ledger.BookingConfirmed {
		err = ledger.Errorf(ledger.ECONFLICT, "Booking %s is not confirmed (it is %s): confirm it before sending its confirmation", pid, lb.State)
	}
	return b, err
}
