package season

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// checkOutRequest is check_out's command1: the account and its cart.
type checkOutRequest struct {
	AcctID   whole `json:"acct_id"`
	OrderNum whole `json:"order_num"`
}

// checkOut answers what the account's open cart costs: its lines (cart_items), the
// service charges due (the ledger charges none: an empty list, service_charge_total
// "0.00") and total_due.
func checkOut(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var req checkOutRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if req.AcctID <= 0 {
		return nil, failf(ResultMissingField, "command1 needs acct_id, the account whose cart to check out.")
	}
	b, contract, err := h.payableCart(ctx, int64(req.OrderNum), int64(req.AcctID))
	if err != nil {
		return nil, err
	}
	return dueFields(b, contract), nil
}

// payableCart reads the cart when it is open, holds seats, and is the account's.
func (h *Handler) payableCart(ctx context.Context, orderNum, acct int64) (ledger.Booking, ledger.Contract, error) {
	b, contract, err := h.cartOf(ctx, orderNum)
	if err == nil {
		err = ownCart(b, acct)
	}
	if err == nil {
		err = ledger.BookingRefusal(b)
	}
	return b, contract, err
}

// dueFields are the cart's fields (cartFields) with what is due: service_charges (none),
// service_charge_total and total_due.
func dueFields(b ledger.Booking, c ledger.Contract) map[string]any {
	f := cartFields(b, c)
	currency := saleCurrency(c)
	f["service_charges"] = []map[string]any{}
	f["service_charge_total"] = amount(currency, 0)
	f["total_due"] = amount(currency, b.Total)
	return f
}

// payment is one method of payment of payment_request: its code (mop_code, the
// partner's: "VI", "CASH") and amount (major units, a string or a number).
type payment struct {
	MopCode string          `json:"mop_code"`
	Amount  json.RawMessage `json:"amount"`
}

// delivered is one line of payment_request's cart_items: the line and its delivery
// method code (dm_code), echoed on the line's tickets.
type delivered struct {
	OrderLineItem whole  `json:"order_line_item"`
	DMCode        string `json:"dm_code"`
}

// paymentRequest is payment_request's command1.
type paymentRequest struct {
	OrderNum  whole       `json:"order_num"`
	AcctID    whole       `json:"acct_id"`
	Mop       []payment   `json:"mop"`
	CartItems []delivered `json:"cart_items"`
}

// paymentRequestCmd records the payment of an open cart and issues its tickets through
// the confirmer (which mails them as any confirmation): an amount below the total due is
// refused in words and nothing changes. The answer carries each ticket's QR text
// (barcode) this once: the server keeps no ticket keys.
func paymentRequestCmd(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var req paymentRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	b, contract, err := h.payableCart(ctx, int64(req.OrderNum), int64(req.AcctID))
	if err != nil {
		return nil, err
	}
	currency := saleCurrency(contract)
	paid, err := paidAmount(currency, req.Mop)
	if err != nil {
		return nil, err
	}
	if paid < b.Total {
		return nil, failf(ResultRefused, "The payment of %s is less than the %s due for order %d: nothing was charged, and the seats stay held.",
			ledger.FormatAmount(currency, paid), ledger.FormatAmount(currency, b.Total), b.ID)
	}
	dm, err := deliveryCodes(b, req.CartItems)
	if err != nil {
		return nil, err
	}
	p, err := h.confirm(ctx, b, contract, paid)
	if err != nil {
		return nil, err
	}
	return paidFields(b, contract, p, req.Mop, paid, dm), nil
}

// paidAmount sums the methods of payment: at least one, each with an amount in the
// sale's currency.
func paidAmount(currency string, mop []payment) (int64, error) {
	if len(mop) == 0 {
		return 0, failf(ResultMissingField, "command1 needs mop: a list of {mop_code, amount}, the methods of payment.")
	}
	var sum int64
	for i, m := range mop {
		text := string(bytes.Trim(m.Amount, `"`))
		if len(m.Amount) == 0 || text == "null" {
			return 0, failf(ResultMissingField, "command1.mop[%d] needs an amount.", i)
		}
		v, err := ledger.ParseAmount(currency, text)
		if err != nil {
			return 0, failf(ResultInvalidField, "command1.mop[%d].amount: %s.", i, strings.TrimSuffix(ledger.ErrorMessage(err), "."))
		}
		if sum += v; sum > ledger.MaxPrice {
			return 0, failf(ResultInvalidField, "The payments add up to more than %s.", ledger.FormatAmount(currency, ledger.MaxPrice))
		}
	}
	return sum, nil
}

// deliveryCodes reads the delivery method of each line the request names: every
// order_line_item must be a line of the cart.
func deliveryCodes(b ledger.Booking, items []delivered) (map[int]string, error) {
	lines := len(lineItems(b))
	dm := make(map[int]string, len(items))
	for _, it := range items {
		if it.OrderLineItem < 1 || it.OrderLineItem > whole(lines) {
			return nil, failf(ResultInvalidField, "Order %d has no line %d: its lines are 1 to %d.", b.ID, it.OrderLineItem, lines)
		}
		dm[int(it.OrderLineItem)] = clipped(it.DMCode)
	}
	return dm, nil
}

// confirm issues the cart's tickets, one QR code a ticket, as paid; under the identity
// policy the tickets carry the account's name.
func (h *Handler) confirm(ctx context.Context, b ledger.Booking, c ledger.Contract, paid int64) (issuer.Purchase, error) {
	if h.svc.Confirmer == nil {
		return issuer.Purchase{}, ledger.Errorf(ledger.EINTERNAL, "the command API was started without its booking confirmer")
	}
	r := issuer.ConfirmRequest{Amount: &paid, TicketsPerQR: 1}
	if c.Rules.RequireIdentityVerification {
		cu, err := h.svc.Customers.Customer(ctx, b.Customer)
		if err != nil {
			return issuer.Purchase{}, err
		}
		r.CustomerName = strings.TrimSpace(cu.FirstName + " " + cu.LastName)
	}
	return h.svc.Confirmer.ConfirmBooking(ctx, b.ID, r)
}

// paidFields answer a payment: the order, what was due and paid, the change, the methods
// of payment, the transaction and the issued tickets with their barcodes.
func paidFields(b ledger.Booking, c ledger.Contract, p issuer.Purchase, mop []payment, paid int64, dm map[int]string) map[string]any {
	currency := saleCurrency(c)
	mops := make([]map[string]any, len(mop))
	for i, m := range mop {
		mops[i] = map[string]any{"mop_code": clipped(m.MopCode), "amount": string(bytes.Trim(m.Amount, `"`))}
	}
	return map[string]any{"order_num": b.ID, "acct_id": b.Customer, "event_name": b.Contract, "order_status": ledger.BookingConfirmed,
		"currency": currency, "total_due": amount(currency, p.Total), "amount_paid": amount(currency, paid),
		"change_due": amount(currency, paid-p.Total), "mop": mops, "transaction_id": p.TransactionHash,
		"tickets": issuedTickets(b, c, p, dm)}
}

// issuedTickets are the purchase's tickets as payment_request answers them: the line
// each belongs to, its delivery code, seat, price code, price and barcode (its QR text).
func issuedTickets(b ledger.Booking, c ledger.Contract, p issuer.Purchase, dm map[int]string) []map[string]any {
	line := map[string]int{}
	for i, it := range lineItems(b) {
		for _, t := range it.tickets {
			line[t.Seat.Key()] = i + 1
		}
	}
	out := make([]map[string]any, len(p.Tickets))
	for i, t := range p.Tickets {
		f := seatFields(t.Seat)
		n := line[t.Seat.Key()]
		f["order_line_item"], f["dm_code"] = n, dm[n]
		f["price_code"], f["price"] = priceCode(t.Type), amount(saleCurrency(c), t.Price)
		if i < len(p.QR) && p.TicketsPerQR == 1 {
			f["barcode"] = p.QR[i]
		}
		out[i] = f
	}
	return out
}
