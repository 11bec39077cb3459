package client

import (
	"context"
	"net/http"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var (
	_ ledger.Bookings         = (*Client)(nil)
	_ issuer.BookingConfirmer = (*Client)(nil)
)

// NewBooking opens an empty booking of PDF tickets for the customer on the contract's
// open sale.
func (c *Client) NewBooking(ctx context.Context, address string, customer int64) (ledger.Booking, error) {
	return c.OpenBooking(ctx, ledger.BookingRequest{Contract: address, Customer: customer})
}

// OpenBooking opens an empty booking as r asks: for its customer on its contract's open
// sale, its tickets in its format (PDF or SECURE; "" is PDF).
func (c *Client) OpenBooking(ctx context.Context, r ledger.BookingRequest) (ledger.Booking, error) {
	var out ledger.Booking
	err := c.do(ctx, http.MethodPost, api.BookingsPath, api.NewBookingRequest(r), &out)
	return out, err
}

// Booking reads a booking and its tickets.
func (c *Client) Booking(ctx context.Context, id int64) (ledger.Booking, error) {
	var out ledger.Booking
	err := c.do(ctx, http.MethodGet, api.BookingPath(id, ""), nil, &out)
	return out, err
}

// Hold holds the items' seats for the booking, each as its ticket type, all or nothing.
func (c *Client) Hold(ctx context.Context, id int64, items []ledger.HoldItem) (ledger.BookingReceipt, error) {
	var out ledger.BookingReceipt
	err := c.do(ctx, http.MethodPost, api.BookingPath(id, "tickets"), api.HoldBody(items), &out)
	return out, err
}

// HoldBest has the server choose the seats the pick asks for and hold them for the
// booking, in one step.
func (c *Client) HoldBest(ctx context.Context, id int64, p ledger.Pick) (ledger.BookingReceipt, error) {
	var out ledger.BookingReceipt
	err := c.do(ctx, http.MethodPost, api.BookingPath(id, "tickets"), api.PickBody(p), &out)
	return out, err
}

// Free returns one held seat of the booking to sale.
func (c *Client) Free(ctx context.Context, id int64, seat ledger.Seat) (ledger.BookingReceipt, error) {
	var out ledger.BookingReceipt
	err := c.do(ctx, http.MethodDelete, api.BookingSeatPath(id, seat), nil, &out)
	return out, err
}

// Cancel ends the booking and returns its held seats to sale.
func (c *Client) Cancel(ctx context.Context, id int64) (ledger.BookingReceipt, error) {
	var out ledger.BookingReceipt
	err := c.do(ctx, http.MethodPost, api.BookingPath(id, "cancel"), nil, &out)
	return out, err
}

// ConfirmBooking has the server seal fresh secrets for the booking's held seats and
// confirm it, and returns the purchase with its keys and QR texts.
func (c *Client) ConfirmBooking(ctx context.Context, id int64, r issuer.ConfirmRequest) (issuer.Purchase, error) {
	var out issuer.Purchase
	err := c.do(ctx, http.MethodPost, api.BookingPath(id, "confirm"), api.ConfirmBody(r), &out)
	return out, err
}

// ResendBooking has the server reissue the confirmed booking's tickets not checked in
// and mail the new ones to its customer (issuer.Resender): their old QR codes are refused
// from then on.
func (c *Client) ResendBooking(ctx context.Context, id int64, r issuer.ResendRequest) (issuer.Resent, error) {
	var out issuer.Resent
	err := c.do(ctx, http.MethodPost, api.BookingPath(id, "send"), r, &out)
	return out, err
}

var _ issuer.Resender = (*Client)(nil)

// Confirm confirms the booking with tickets sealed here (issuer.Prepare), through the
// confirmSealed route: the secrets and keys never leave this process.
func (c *Client) Confirm(ctx context.Context, id int64, o ledger.Order) (ledger.OrderReceipt, error) {
	var out ledger.OrderReceipt
	err := c.do(ctx, http.MethodPost, api.BookingPath(id, "confirmSealed"), api.SealedOrderBody(o), &out)
	return out, err
}
