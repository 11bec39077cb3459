package season

import (
	"context"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// basePriceCode is the price code of a seat's base price in its sale (no ticket type).
const basePriceCode = "BASE"

// priceCode is the price code of a ticket type: its name, or "BASE" for none.
func priceCode(typ string) string {
	if typ == "" {
		return basePriceCode
	}
	return typ
}

// eventOnSale reads the event the name names: a contract with an active sale (one
// without is not an event).
func (h *Handler) eventOnSale(ctx context.Context, name string) (ledger.Contract, error) {
	if name == "" {
		return ledger.Contract{}, failf(ResultMissingField, "command1 needs event_name.")
	}
	c, err := h.svc.Ledger.Contract(ctx, name)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND || ledger.ErrorCode(err) == ledger.EINVALID || (err == nil && (c.Sale == nil || !c.Sale.Active)) {
		return c, failf(ResultNotFound, "There is no event %q on sale.", clipped(name))
	}
	return c, err
}

// cartOf reads the cart (booking) order_num names and its event's contract.
func (h *Handler) cartOf(ctx context.Context, orderNum int64) (ledger.Booking, ledger.Contract, error) {
	if orderNum <= 0 {
		return ledger.Booking{}, ledger.Contract{}, failf(ResultMissingField, "command1 needs order_num, the number of a cart.")
	}
	b, err := h.svc.Bookings.Booking(ctx, orderNum)
	if ledger.ErrorCode(err) == ledger.ENOTFOUND {
		return b, ledger.Contract{}, failf(ResultNotFound, "There is no order %d.", orderNum)
	}
	if err != nil {
		return b, ledger.Contract{}, err
	}
	c, err := h.svc.Ledger.Contract(ctx, b.Contract)
	return b, c, err
}

// ownCart checks that the cart is the account's when an account is named.
func ownCart(b ledger.Booking, acct int64) error {
	if acct != 0 && b.Customer != acct {
		return failf(ResultRefused, "Order %d is not a cart of account %d.", b.ID, acct)
	}
	return nil
}

// lineItem is one line of a cart: its seats of one price code at one price.
type lineItem struct {
	code    string
	price   int64
	tickets []ledger.BookedTicket
}

// lineItems groups the cart's seats by price code and price, in the cart's order; the
// line numbers (order_line_item) count from 1.
func lineItems(b ledger.Booking) []lineItem {
	var items []lineItem
	at := map[[2]any]int{}
	for _, t := range b.Tickets {
		k := [2]any{t.Type, t.Price}
		i, ok := at[k]
		if !ok {
			i = len(items)
			at[k] = i
			items = append(items, lineItem{code: priceCode(t.Type), price: t.Price})
		}
		items[i].tickets = append(items[i].tickets, t)
	}
	return items
}

// cartItems are the cart's lines as the API answers them: order_line_item, event_name,
// price_code, num_seats, price (each seat's), total and the seats.
func cartItems(b ledger.Booking, currency string) []map[string]any {
	var out []map[string]any
	for i, it := range lineItems(b) {
		seats := make([]map[string]any, len(it.tickets))
		for j, t := range it.tickets {
			seats[j] = seatFields(t.Seat)
		}
		out = append(out, map[string]any{"order_line_item": i + 1, "event_name": b.Contract, "price_code": it.code,
			"num_seats": len(it.tickets), "price": amount(currency, it.price),
			"total": amount(currency, it.price*int64(len(it.tickets))), "seats": seats})
	}
	if out == nil {
		out = []map[string]any{}
	}
	return out
}

// cartFields are a cart's fields: order_num, acct_id, event_name, order_status, the hold's
// expiry (hold_expiry, RFC 3339 UTC, while open and holding), currency, num_seats, total
// and cart_items.
func cartFields(b ledger.Booking, c ledger.Contract) map[string]any {
	currency := saleCurrency(c)
	f := map[string]any{"order_num": b.ID, "acct_id": b.Customer, "event_name": b.Contract, "order_status": b.State,
		"currency": currency, "num_seats": len(b.Tickets), "total": amount(currency, b.Total),
		"cart_items": cartItems(b, currency), "hold_expiry": ""}
	if b.State == ledger.BookingOpen && !b.Expires.IsZero() {
		f["hold_expiry"] = b.Expires.UTC().Format(time.RFC3339)
	}
	return f
}

// saleCurrency is the currency of the contract's latest sale.
func saleCurrency(c ledger.Contract) string {
	if c.Sale == nil {
		return ledger.DefaultCurrency
	}
	return ledger.CurrencyOf(c.Sale.Details)
}

// clipped shortens a caller's text for a sentence.
func clipped(s string) string {
	if len(s) > 60 {
		return strings.ToValidUTF8(s[:60], "") + "..."
	}
	return s
}

// cartRequest names a cart: shopping_cart's order_num.
type cartRequest struct {
	OrderNum whole `json:"order_num"`
}

// shoppingCart answers the cart's contents: its lines with their seats, price codes and
// prices, the hold's expiry and the total.
func shoppingCart(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var req cartRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	b, contract, err := h.cartOf(ctx, int64(req.OrderNum))
	if err != nil {
		return nil, err
	}
	return cartFields(b, contract), nil
}
