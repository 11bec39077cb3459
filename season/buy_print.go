package season

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// Reissuer gives a sold ticket a new secret and answers it with its QR text, as
// issuer.Issuer does: ticket_print reissues what it prints, since the ledger keeps no
// ticket keys.
type Reissuer interface {
	Reissue(ctx context.Context, address string, r issuer.ReissueRequest) (issuer.Purchase, error)
}

// MaxPrintOrders bounds the orders one ticket_print prints (each holds at most
// ledger.MaxTicketsInBooking tickets).
const MaxPrintOrders = 100

// MaxPrintTickets bounds the tickets one ticket_print prints: its PDF (about 4.5 KB a
// ticket) is held in memory, in base64 and sealed for polling, so a call for more is
// refused before anything is reissued, and the caller prints in parts.
const MaxPrintTickets = 5000

// maxPrintTickets is MaxPrintTickets, lowered by tests.
var maxPrintTickets = MaxPrintTickets

// Delivery methods of ticket_print.
const (
	deliveryPDF   = "pdf"
	deliveryEmail = "email"
)

// printRequest is ticket_print's command1: the orders to print (order_num, a number or a
// list of numbers), or an account's orders of an event (acct_id with event_name); the
// delivery_method ("pdf", the default, or "email") and for a PDF its paper_size ("A4",
// the default, or "A6").
type printRequest struct {
	AcctID         whole           `json:"acct_id"`
	EventName      string          `json:"event_name"`
	OrderNum       json.RawMessage `json:"order_num"`
	DeliveryMethod string          `json:"delivery_method"`
	PaperSize      string          `json:"paper_size"`
}

// ticketPrint reissues the tickets of the confirmed orders and answers them as one PDF
// (base64), or mails each order's to its account. Reissuing gives every ticket a new
// secret: the codes printed or mailed before are refused at the gate from then on.
// Tickets checked in are skipped (the person admitted holds their code).
func ticketPrint(ctx context.Context, h *Handler, c *call) (map[string]any, error) {
	var req printRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	method := strings.ToLower(req.DeliveryMethod)
	if method == "" {
		method = deliveryPDF
	}
	if method != deliveryPDF && method != deliveryEmail {
		return nil, failf(ResultInvalidField, "command1.delivery_method must be \"pdf\" or \"email\".")
	}
	layout, err := paperSize(req.PaperSize)
	if err != nil {
		return nil, err
	}
	orders, err := h.printOrders(ctx, req)
	if err != nil {
		return nil, err
	}
	if method == deliveryEmail {
		return h.mailOrders(ctx, orders)
	}
	return h.printPDF(ctx, orders, layout)
}

// paperSize reads paper_size: A4 unless given.
func paperSize(s string) (issuer.Layout, error) {
	if s == "" {
		return issuer.LayoutA4, nil
	}
	l, err := issuer.ParseLayout(s)
	if err != nil {
		return l, failf(ResultInvalidField, "command1.paper_size must be \"A4\" or \"A6\".")
	}
	return l, nil
}

// printOrders reads the confirmed orders the request names, in order.
func (h *Handler) printOrders(ctx context.Context, req printRequest) ([]ledger.Booking, error) {
	nums, err := orderNums(req.OrderNum)
	if err != nil {
		return nil, err
	}
	if len(nums) == 0 {
		if nums, err = h.accountOrders(ctx, int64(req.AcctID), req.EventName); err != nil {
			return nil, err
		}
	}
	orders := make([]ledger.Booking, len(nums))
	for i, n := range nums {
		b, _, err := h.cartOf(ctx, n)
		if err == nil {
			err = printable(b, req)
		}
		if err != nil {
			return nil, err
		}
		orders[i] = b
	}
	return orders, printBounded(orders)
}

// printBounded refuses a print of more than MaxPrintTickets tickets, in words.
func printBounded(orders []ledger.Booking) error {
	n := 0
	for _, b := range orders {
		n += len(b.Tickets)
	}
	if n > maxPrintTickets {
		return failf(ResultInvalidField, "A ticket_print prints at most %d tickets at once, and these orders hold %d: print them in parts, a shorter list of order_num at a time.", maxPrintTickets, n)
	}
	return nil
}

// orderNums reads order_num: absent, a number, or a list of at most MaxPrintOrders
// distinct numbers.
func orderNums(raw json.RawMessage) ([]int64, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var one whole
	if json.Unmarshal(raw, &one) == nil {
		return []int64{int64(one)}, nil
	}
	var many []whole
	if err := json.Unmarshal(raw, &many); err != nil || len(many) == 0 || len(many) > MaxPrintOrders {
		return nil, failf(ResultInvalidField, "command1.order_num must be an order number or a list of 1 to %d order numbers.", MaxPrintOrders)
	}
	nums := make([]int64, len(many))
	for i, n := range many {
		if slices.Contains(nums[:i], int64(n)) {
			return nil, failf(ResultInvalidField, "command1.order_num names order %d twice.", n)
		}
		nums[i] = int64(n)
	}
	return nums, nil
}

// printable checks that an order may be printed: confirmed, and of the account and event
// the request names, if it names them.
func printable(b ledger.Booking, req printRequest) error {
	if err := ownCart(b, int64(req.AcctID)); err != nil {
		return err
	}
	if req.EventName != "" && req.EventName != b.Contract {
		return failf(ResultInvalidField, "Order %d is of event %s, not %s.", b.ID, b.Contract, clipped(req.EventName))
	}
	if b.State != ledger.BookingConfirmed {
		return failf(ResultConflict, "Order %d is not paid (it is %s): it has no tickets to print.", b.ID, b.State)
	}
	return nil
}

// accountOrders lists the orders of the account's tickets issued for the event, in the
// ledger's booking order.
func (h *Handler) accountOrders(ctx context.Context, acct int64, event string) ([]int64, error) {
	if acct <= 0 || event == "" {
		return nil, failf(ResultMissingField, "command1 needs order_num, or acct_id with event_name: the tickets to print.")
	}
	if h.svc.Lists == nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "the command API was started without the ticket lists")
	}
	var nums []int64
	q := ledger.TicketQuery{Contract: event, Owner: acct, Status: ledger.TicketIssued, SortBy: ledger.SortBooking, Limit: ledger.MaxTicketListLimit}
	for {
		page, err := h.svc.Lists.ListTickets(ctx, q)
		if ledger.ErrorCode(err) == ledger.EINVALID || ledger.ErrorCode(err) == ledger.ENOTFOUND {
			return nil, failf(ResultNotFound, "There is no event %q.", clipped(event))
		} else if err != nil {
			return nil, err
		}
		for _, t := range page.Tickets {
			if len(nums) == 0 || nums[len(nums)-1] != t.Booking {
				nums = append(nums, t.Booking)
			}
		}
		if q.After = page.Next; q.After == "" {
			break
		}
	}
	if len(nums) == 0 {
		return nil, failf(ResultNotFound, "Account %d has no tickets to print for event %s.", acct, clipped(event))
	}
	return nums, nil
}

// printedOrder is what was printed of one order: the tickets reissued, as one purchase,
// and those skipped.
type printedOrder struct {
	booking  ledger.Booking
	purchase issuer.Purchase
	skipped  []issuer.SkippedTicket
	failed   string // why the order was not mailed, after earlier orders were
}

// printPDF reissues every order's tickets and writes them into one PDF, an order at a
// time, and answers it in base64 with what was printed.
func (h *Handler) printPDF(ctx context.Context, orders []ledger.Booking, layout issuer.Layout) (map[string]any, error) {
	if h.svc.Reissuer == nil {
		return nil, ledger.Errorf(ledger.EINTERNAL, "the command API was started without its reissuer")
	}
	info, err := h.svc.Ledger.Info(ctx)
	if err != nil {
		return nil, err
	}
	clock := ledger.Clock{Genesis: info.Genesis, Interval: time.Duration(info.BlockInterval)}
	var buf bytes.Buffer
	stream, err := ticketpdf.NewPDFStream(&buf, layout, ticketpdf.DefaultRecovery)
	if err != nil {
		return nil, err
	}
	printed := make([]printedOrder, 0, len(orders))
	for _, b := range orders {
		o, err := h.reissueOrder(ctx, b, len(printed) > 0)
		if err != nil {
			return nil, err
		}
		if err := h.drawOrder(ctx, stream, o, clock); err != nil {
			return nil, err
		}
		printed = append(printed, o)
	}
	if err := stream.Close(); err != nil {
		return nil, failf(ResultConflict, "No ticket of these orders could be printed: %s", skippedWords(printed))
	}
	f := printFields(printed, deliveryPDF)
	f["paper_size"] = strings.ToUpper(layout.String())
	f["pdf"] = base64.StdEncoding.EncodeToString(buf.Bytes())
	return f, nil
}

// drawOrder lays out an order's reissued tickets and adds them to the PDF.
func (h *Handler) drawOrder(ctx context.Context, stream *ticketpdf.PDFStream, o printedOrder, clock ledger.Clock) error {
	if len(o.purchase.Tickets) == 0 {
		return nil
	}
	c, err := h.svc.Ledger.Contract(ctx, o.booking.Contract)
	if err != nil {
		return err
	}
	tickets, err := ticketpdf.Printed(o.purchase, c, clock)
	if err == nil {
		err = stream.Write(tickets)
	}
	if err != nil {
		h.log.Error("printing reissued tickets", "order", o.booking.ID, "err", err)
		return ledger.Errorf(ledger.EINTERNAL, "the tickets of order %d were reissued but could not be printed", o.booking.ID)
	}
	return nil
}

// reissueWorkers is how many tickets of an order are reissued at once: each reissue is
// a transaction of its own, and the store commits concurrent ones together.
const reissueWorkers = 8

// reissued is the outcome of one ticket's reissue: the new ticket, or why not.
type reissued struct {
	purchase issuer.Purchase
	skip     string // checked in: not reissued
	err      error
}

// reissueOrder reissues every ticket of the order not checked in, with the account's
// name under the identity policy, reissueWorkers at a time, and gathers them in the
// order's order. A refusal skips the ticket; any other error fails the print while
// nothing was reissued (started false and none of this order), and skips the ticket
// otherwise, so that the tickets reissued still reach the caller.
func (h *Handler) reissueOrder(ctx context.Context, b ledger.Booking, started bool) (printedOrder, error) {
	o := printedOrder{booking: b, purchase: issuer.Purchase{Contract: b.Contract, TicketsPerQR: 1}}
	name, err := h.ticketName(ctx, b)
	if err != nil {
		return o, err
	}
	results := h.reissueAll(ctx, b, name)
	var failed error
	for i, t := range b.Tickets {
		r := results[i]
		switch code := ledger.ErrorCode(r.err); {
		case r.skip != "":
			o.skipped = append(o.skipped, issuer.SkippedTicket{Seat: t.Seat, Reason: r.skip})
		case r.err == nil:
			o.purchase = joinedPurchase(o.purchase, r.purchase)
		default:
			if code != ledger.EREFUSED && code != ledger.ECONFLICT && failed == nil {
				failed = r.err
			}
			o.skipped = append(o.skipped, issuer.SkippedTicket{Seat: t.Seat, Reason: ledger.ErrorMessage(r.err)})
		}
	}
	if failed != nil && !started && len(o.purchase.Tickets) == 0 {
		return o, failed
	}
	return o, nil
}

// reissueAll reissues the order's tickets not checked in, reissueWorkers at a time, and
// returns each one's outcome by its place in the order.
func (h *Handler) reissueAll(ctx context.Context, b ledger.Booking, name string) []reissued {
	results := make([]reissued, len(b.Tickets))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(reissueWorkers, len(b.Tickets)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				t := b.Tickets[i]
				if t.Status == ledger.TicketCheckedIn {
					results[i].skip = "checked in at the gate"
					continue
				}
				results[i].purchase, results[i].err = h.svc.Reissuer.Reissue(ctx, b.Contract, issuer.ReissueRequest{Seat: t.Seat, CustomerName: name})
			}
		}()
	}
	for i := range b.Tickets {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

// ticketName is the name the order's tickets carry under the identity policy: the
// account's; "" when the event does not require names.
func (h *Handler) ticketName(ctx context.Context, b ledger.Booking) (string, error) {
	c, err := h.svc.Ledger.Contract(ctx, b.Contract)
	if err != nil || !c.Rules.RequireIdentityVerification {
		return "", err
	}
	cu, err := h.svc.Customers.Customer(ctx, b.Customer)
	return strings.TrimSpace(cu.FirstName + " " + cu.LastName), err
}

// joinedPurchase adds a reissued ticket to the order's purchase: the first reissue's
// transaction names it, the last one's height dates it.
func joinedPurchase(p, one issuer.Purchase) issuer.Purchase {
	if len(p.Tickets) == 0 {
		one.TicketsPerQR = 1
		return one
	}
	p.Tickets = append(p.Tickets, one.Tickets...)
	p.QR = append(p.QR, one.QR...)
	p.Height = one.Height
	return p
}

// mailOrders has each order's tickets reissued and mailed to its account (Resender).
func (h *Handler) mailOrders(ctx context.Context, orders []ledger.Booking) (map[string]any, error) {
	if h.svc.Resender == nil {
		return nil, failf(ResultRefused, "This server does not mail tickets: ask for delivery_method \"pdf\".")
	}
	printed := make([]printedOrder, 0, len(orders))
	for _, b := range orders {
		rs, err := h.svc.Resender.ResendBooking(ctx, b.ID, issuer.ResendRequest{})
		if err != nil && len(printed) == 0 {
			return nil, err
		}
		o := printedOrder{booking: b, skipped: rs.Skipped}
		for _, s := range rs.Reissued {
			o.purchase.Tickets = append(o.purchase.Tickets, issuer.IssuedTicket{Seat: s})
		}
		if err != nil {
			o.failed = ledger.ErrorMessage(err)
		}
		printed = append(printed, o)
	}
	return printFields(printed, deliveryEmail), nil
}

// printFields answer a print: delivery_method, num_tickets and per order (orders) its
// order_num, num_tickets and the tickets skipped with why (skipped:[{section_name,
// row_name, seat_num, reason}]), and error_detail for an order that could not be mailed.
func printFields(printed []printedOrder, method string) map[string]any {
	total := 0
	orders := make([]map[string]any, len(printed))
	for i, o := range printed {
		skipped := make([]map[string]any, len(o.skipped))
		for j, s := range o.skipped {
			skipped[j] = seatFields(s.Seat)
			skipped[j]["reason"] = s.Reason
		}
		total += len(o.purchase.Tickets)
		orders[i] = map[string]any{"order_num": o.booking.ID, "event_name": o.booking.Contract,
			"num_tickets": len(o.purchase.Tickets), "skipped": skipped}
		if o.failed != "" {
			orders[i]["error_detail"] = o.failed
		}
	}
	return map[string]any{"delivery_method": method, "num_tickets": total, "orders": orders}
}

// skippedWords lists the tickets skipped, for a sentence.
func skippedWords(printed []printedOrder) string {
	var parts []string
	for _, o := range printed {
		for _, s := range o.skipped {
			parts = append(parts, s.Seat.String()+" "+strings.TrimSuffix(s.Reason, "."))
		}
	}
	return strings.Join(parts, "; ") + "."
}
