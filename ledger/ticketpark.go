package ledger

import (
	"context"
	"time"
)

// The records of seed 003's Ticketpark API, which the server's /ticketpark/ facade keeps
// beside the ledger: each names its Ticketpark pid (a string) and what it maps onto. A
// venue is a set of sectors; a show of an event in a venue is a contract of its own, made
// from the venue's sectors when the show is created, each sector a general-admission
// section of its capacity; its sale begins with the show's first ticket, its seats priced
// by the event's prices of their sector's price category.

// TicketparkVenue is a venue of a host (the organizer key that created it, Actor.ID).
type TicketparkVenue struct {
	Pid  string
	Host string
	Name string
	City string
}

// TicketparkSector is a part of a venue with a price category and a capacity of places.
type TicketparkSector struct {
	Pid           string
	Venue         string
	Name          string
	PriceCategory int64
	Capacity      int64
}

// TicketparkEvent is an event of a host, sold in one currency.
type TicketparkEvent struct {
	Pid             string
	Host            string
	Name            string
	Currency        string
	DigitalDispatch bool
}

// TicketparkShow is a performance of an event in a venue at Start (Zone: the IANA zone
// its start was given in), sold on the ledger contract Contract.
type TicketparkShow struct {
	Pid      string
	Event    string
	Venue    string
	Start    time.Time
	Zone     string
	Contract string
}

// TicketparkPrice is one of an event's prices: a name ("Normal price", "Children") for a
// price category, in minor units of the event's currency.
type TicketparkPrice struct {
	Pid           string
	Event         string
	Name          string
	PriceCategory int64
	Price         int64
}

// TicketparkBooking is a Ticketpark booking of a customer, made by Host (the key that
// opened it): Booking is the ledger booking of its tickets (0 before its first ticket),
// on the contract of Show; Delivery asks for postal delivery.
type TicketparkBooking struct {
	Pid      string
	Host     string
	Customer int64
	Show     string
	Booking  int64
	Delivery bool
	Created  time.Time
}

// TicketparkCapacity counts a show's places: Total, and Sold (issued, or held by an
// open booking whose hold runs).
type TicketparkCapacity struct {
	Total int64
	Sold  int64
}

// TicketparkPage asks for a page of a collection: Page (from 0) of MaxResults records.
type TicketparkPage struct {
	Page       int
	MaxResults int
}

// TicketparkRecords keeps the facade's records. Organizer keys create venues, sectors,
// events, shows and prices and see their own; box-office and organizer keys open
// bookings. Other keys see every record (a box office sells for every host); an organizer
// key sees another host's records as ENOTFOUND, as unknown ones. Pids are the store's.
type TicketparkRecords interface {
	// AddVenue records a venue of the actor's host.
	AddVenue(ctx context.Context, v TicketparkVenue) (TicketparkVenue, error)
	// AddSectors records sectors of venues of the actor's host, all or none.
	AddSectors(ctx context.Context, s []TicketparkSector) ([]TicketparkSector, error)
	// AddEvents records events of the actor's host, all or none.
	AddEvents(ctx context.Context, e []TicketparkEvent) ([]TicketparkEvent, error)
	// AddShow records a show whose contract the caller created.
	AddShow(ctx context.Context, s TicketparkShow) (TicketparkShow, error)
	// AddPrices records prices of events of the actor's host, all or none; ECONFLICT when
	// a show of the event is on sale already (its prices are fixed).
	AddPrices(ctx context.Context, p []TicketparkPrice) ([]TicketparkPrice, error)
	// AddBooking records a booking of a customer, without tickets yet.
	AddBooking(ctx context.Context, b TicketparkBooking) (TicketparkBooking, error)
	// AttachBooking names the ledger booking and show of a booking that has none yet.
	AttachBooking(ctx context.Context, pid, show string, booking int64) error
	// SetDelivery records whether the booking is to be delivered by post.
	SetDelivery(ctx context.Context, pid string, delivery bool) error
	// RecordEmail records that the mail of the type was asked for the booking.
	RecordEmail(ctx context.Context, pid, kind string) error

	// Venue, Sector, Event, Show, Price and Booking read one record: ENOTFOUND for an
	// unknown pid.
	Venue(ctx context.Context, pid string) (TicketparkVenue, error)
	Sector(ctx context.Context, pid string) (TicketparkSector, error)
	Event(ctx context.Context, pid string) (TicketparkEvent, error)
	Show(ctx context.Context, pid string) (TicketparkShow, error)
	Price(ctx context.Context, pid string) (TicketparkPrice, error)
	Booking(ctx context.Context, pid string) (TicketparkBooking, error)
	// Venues, Sectors, Events, Shows, Prices and Bookings read a page of a collection and
	// the number of records in it: parent, when not empty, keeps a venue's sectors or an
	// event's shows, prices and bookings.
	Venues(ctx context.Context, p TicketparkPage) ([]TicketparkVenue, int, error)
	Sectors(ctx context.Context, venue string, p TicketparkPage) ([]TicketparkSector, int, error)
	Events(ctx context.Context, p TicketparkPage) ([]TicketparkEvent, int, error)
	Shows(ctx context.Context, event string, p TicketparkPage) ([]TicketparkShow, int, error)
	Prices(ctx context.Context, event string, p TicketparkPage) ([]TicketparkPrice, int, error)
	Bookings(ctx context.Context, event string, p TicketparkPage) ([]TicketparkBooking, int, error)
	// Capacity counts the places of a show's contract.
	Capacity(ctx context.Context, contract string) (TicketparkCapacity, error)
}
