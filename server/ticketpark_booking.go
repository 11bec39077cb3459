package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// A booking, its tickets and its customer as Ticketpark's "read booking" shows them.
type (
	tpBooking struct {
		Pid            string `json:"pid"`
		PidReadable    string `json:"pid_readable"`
		Confirmation   bool   `json:"confirmation"`
		Status         string `json:"status"` // the ledger booking's state: open, confirmed, cancelled, expired
		DeliveryMethod string `json:"delivery_method"`
		Show           string `json:"show,omitempty"`
		// Customer is the person's pid, or the person when asked for (properties[customer]).
		Customer any        `json:"customer"`
		Tickets  []tpTicket `json:"tickets,omitempty"`
	}
	tpTicket struct {
		Pid          string `json:"pid"`
		Code         string `json:"code"`
		Confirmation bool   `json:"confirmation"`
		Status       string `json:"status"`
		SeatString   string `json:"seat_string"`
		Booking      string `json:"booking"`
		Show         string `json:"show"`
		Sector       string `json:"sector"`
		Price        string `json:"price"`
		HostName     string `json:"denormalized_host_name"`
		EventName    string `json:"denormalized_event_name"`
		ShowStart    string `json:"denormalized_show_start"`
		VenueName    string `json:"denormalized_venue_name"`
		SectorName   string `json:"denormalized_sector_name"`
		PriceName    string `json:"denormalized_price_name"`
		PriceAmount  string `json:"denormalized_price_including_vat"`
		Currency     string `json:"denormalized_currency_pid"`
		// QR is the ticket's QR text, answered once: by the PATCH that confirms the booking.
		QR string `json:"qr,omitempty"`
	}
	tpPerson struct {
		Pid        string          `json:"pid"`
		Salutation string          `json:"salutation"`
		Firstname  string          `json:"firstname"`
		Lastname   string          `json:"lastname"`
		Company    string          `json:"company"`
		Email      string          `json:"email"`
		Phone      string          `json:"phone"`
		Newsletter bool            `json:"newsletter"`
		Mailing    bool            `json:"mailing"`
		Locale     string          `json:"locale"`
		Address    tpPersonAddress `json:"address"`
	}
	tpPersonAddress struct {
		Pid      string `json:"pid"`
		Address1 string `json:"address1"`
		Address2 string `json:"address2"`
		Zip      string `json:"zip"`
		City     string `json:"city"`
		Country  string `json:"country"`
	}
)

func viewPerson(c ledger.Customer) tpPerson {
	pid := strconv.FormatInt(c.ID, 10)
	a := c.Address
	return tpPerson{Pid: pid, Salutation: c.Salutation, Firstname: c.FirstName, Lastname: c.LastName, Company: c.Company,
		Email: c.Email, Phone: c.Phone, Locale: c.Locale,
		Address: tpPersonAddress{Pid: pid, Address1: a.Address1, Address2: a.Address2, Zip: a.Zip, City: a.City, Country: a.Country}}
}

func (h ticketpark) readPerson(w http.ResponseWriter, r *http.Request) {
	c, err := h.person(r.Context(), r.PathValue("pid"))
	h.reply(w, http.StatusOK, viewPerson(c), err)
}

func (h ticketpark) readBooking(w http.ResponseWriter, r *http.Request) {
	out, err := h.bookingView(r.Context(), r.PathValue("pid"), wants(r, "customer"), wants(r, "tickets"), nil)
	h.reply(w, http.StatusOK, out, err)
}

// listBookings answers bookings/, or events/{pid}/bookings/: the event's.
func (h ticketpark) listBookings(w http.ResponseWriter, r *http.Request) {
	p, err := tpPage(r)
	var list []ledger.TicketparkBooking
	total := 0
	if event := r.PathValue("pid"); err == nil && event != "" {
		_, err = h.records.Event(r.Context(), event)
	}
	if err == nil {
		list, total, err = h.records.Bookings(r.Context(), r.PathValue("pid"), p)
	}
	out := make([]tpBooking, len(list))
	for i := 0; err == nil && i < len(list); i++ {
		out[i], err = h.bookingView(r.Context(), list[i].Pid, wants(r, "customer"), wants(r, "tickets"), nil)
	}
	h.listed(w, out, total, err)
}

// bookingView reads the booking with its customer and tickets when asked for; p, the
// purchase that just confirmed it, adds each ticket's QR text.
func (h ticketpark) bookingView(ctx context.Context, pid string, customer, tickets bool, p *issuer.Purchase) (tpBooking, error) {
	b, err := h.records.Booking(ctx, pid)
	if err != nil {
		return tpBooking{}, err
	}
	out := tpBooking{Pid: b.Pid, PidReadable: readablePid(b.Pid), Status: ledger.BookingOpen, DeliveryMethod: "digital",
		Show: b.Show, Customer: strconv.FormatInt(b.Customer, 10)}
	if b.Delivery {
		out.DeliveryMethod = "postal"
	}
	if customer {
		c, err := h.customers.Customer(ctx, b.Customer)
		if err != nil {
			return out, err
		}
		out.Customer = viewPerson(c)
	}
	if b.Booking == 0 {
		return out, nil
	}
	lb, err := h.bookings.Booking(ctx, b.Booking)
	if err != nil {
		return out, err
	}
	out.Status, out.Confirmation = lb.State, lb.State == ledger.BookingConfirmed
	if tickets {
		out.Tickets, err = h.ticketViews(ctx, b, lb, p)
	}
	return out, err
}

// readablePid groups a booking's pid by four digits, as Ticketpark writes it.
func readablePid(pid string) string {
	var parts []string
	for len(pid) > 4 {
		parts, pid = append(parts, pid[:4]), pid[4:]
	}
	return strings.Join(append(parts, pid), "-")
}

// ticketViews describes the booking's tickets with the names of what they are for.
func (h ticketpark) ticketViews(ctx context.Context, b ledger.TicketparkBooking, lb ledger.Booking, p *issuer.Purchase) ([]tpTicket, error) {
	d, err := h.showDetails(ctx, b.Show)
	if err != nil {
		return nil, err
	}
	qr := map[string]string{}
	if p != nil {
		for i, t := range p.Tickets {
			if i < len(p.QR) {
				qr[t.Seat.Key()] = p.QR[i]
			}
		}
	}
	out := make([]tpTicket, len(lb.Tickets))
	for i, t := range lb.Tickets {
		out[i] = d.ticket(b, lb, t)
		out[i].QR = qr[t.Seat.Key()]
	}
	return out, nil
}

// tpShowDetails are the names a show's tickets carry, read once per booking.
type tpShowDetails struct {
	show    ledger.TicketparkShow
	event   ledger.TicketparkEvent
	venue   ledger.TicketparkVenue
	host    string
	sectors map[string]ledger.TicketparkSector
	prices  []ledger.TicketparkPrice
}

func (h ticketpark) showDetails(ctx context.Context, pid string) (d tpShowDetails, err error) {
	if d.show, err = h.records.Show(ctx, pid); err != nil {
		return d, err
	}
	if d.event, err = h.records.Event(ctx, d.show.Event); err != nil {
		return d, err
	}
	if d.venue, err = h.records.Venue(ctx, d.show.Venue); err != nil {
		return d, err
	}
	c, err := h.ledger.Contract(ctx, d.show.Contract)
	if err != nil {
		return d, err
	}
	if c.Sale != nil {
		d.host = c.Sale.Details.Organiser
	}
	sectors, _, err := h.records.Sectors(ctx, d.show.Venue, all)
	d.sectors = make(map[string]ledger.TicketparkSector, len(sectors))
	for _, s := range sectors {
		d.sectors[s.Name] = s
	}
	if err == nil {
		d.prices, _, err = h.records.Prices(ctx, d.show.Event, all)
	}
	return d, err
}

// ticket describes one ticket of the booking: its pid is derived from the ledger booking
// and the place, so it stays the same on every read.
func (d tpShowDetails) ticket(b ledger.TicketparkBooking, lb ledger.Booking, t ledger.BookedTicket) tpTicket {
	pid := tpTicketPid(lb.ID, t.Seat)
	sector := d.sectors[t.Seat.Section]
	price := d.priceOf(sector.PriceCategory, t.Type, t.Price)
	return tpTicket{Pid: pid, Code: strings.ToUpper(pid), Confirmation: t.Status != ledger.TicketReserved, Status: t.Status,
		SeatString: seatString(t.Seat), Booking: b.Pid, Show: d.show.Pid, Sector: sector.Pid, Price: price.Pid,
		HostName: d.host, EventName: d.event.Name, ShowStart: tpShowStart(d.show), VenueName: d.venue.Name,
		SectorName: t.Seat.Section, PriceName: price.Name, PriceAmount: string(tpAmount(d.event.Currency, t.Price)),
		Currency: d.event.Currency}
}

// priceOf finds the event's price of a ticket: of its sector's category, named as its
// ticket type (a ticket of no type: the category's price at its amount).
func (d tpShowDetails) priceOf(category int64, typ string, amount int64) ledger.TicketparkPrice {
	for _, p := range d.prices {
		if p.PriceCategory == category && (p.Name == typ || typ == "" && p.Price == amount) {
			return p
		}
	}
	return ledger.TicketparkPrice{}
}

// seatString writes a place as Ticketpark does: "Tribune A, Place 12".
func seatString(s ledger.Seat) string {
	place := strconv.Itoa(s.Number) + s.Letter
	if s.Section == "" {
		return "Place " + place
	}
	return s.Section + ", Place " + place
}
