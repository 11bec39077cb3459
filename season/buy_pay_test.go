package season_test

import (
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/season"
)

// heldCart holds n seats of the event for the account and returns the order.
func (e *env) heldCart(key, event string, acct int64, n int) int64 {
	e.t.Helper()
	r := e.command("sth-hold", key, map[string]any{"cmd": "seats_hold", "event_name": event, "acct_id": acct,
		"ticket_type": []map[string]any{{"num_seats": n}}})
	return number(e.t, r.Command1["order_num_out"])
}

// paid pays the order's total of 50.00 a seat and returns the barcodes answered.
func (e *env) paid(key string, order int64, total string) []string {
	e.t.Helper()
	r := e.command("sth-buy", key, map[string]any{"cmd": "payment_request", "order_num": order,
		"mop": []map[string]any{{"mop_code": "CASH", "amount": total}}})
	var codes []string
	for _, tk := range list(e.t, r.Command1["tickets"]) {
		codes = append(codes, tk["barcode"].(string))
	}
	return codes
}

func TestBuyFlowMailsThePaymentAndThePrint(t *testing.T) {
	e := newEnv(t)
	outbox := e.mailing()
	buy := e.partner("sth-buy", "main")
	event, acct := e.event(1, 4), e.account("ada@example.com")
	first := e.paid(buy, e.heldCart(buy, event, acct, 2), "100.00")
	if mails := outboxMails(t, outbox); len(mails) != 1 || mails[0].Header.Get("To") != "<ada@example.com>" || len(mails[0].All("application/pdf")) != 1 {
		t.Fatalf("after the payment the outbox holds %d mails, want one to ada with the PDF", len(mails))
	}
	r := e.command("sth-buy", buy, map[string]any{"cmd": "ticket_print", "acct_id": acct, "event_name": event, "delivery_method": "EMAIL"})
	if number(t, r.Command1["num_tickets"]) != 2 || r.Command1["pdf"] != nil || len(outboxMails(t, outbox)) != 2 {
		t.Errorf("ticket_print by e-mail: %v, %d mails", r.Command1, len(outboxMails(t, outbox)))
	}
	e.gate(event, first, ledger.StatusInvalid)
}

func TestBuyFlowRefused(t *testing.T) {
	e := newEnv(t)
	buy, hold, otherBuy := e.partner("sth-buy", "main"), e.partner("sth-hold", "main"), e.partner("sth-buy", "main")
	event, acct, other := e.event(1, 6), e.account("ada@example.com"), e.account("bob@example.com")
	open := e.heldCart(buy, event, acct, 2)
	sold := e.heldCart(buy, event, acct, 1)
	e.paid(buy, sold, "50.00")
	pay := func(order int64, amount any, line int) map[string]any {
		return map[string]any{"cmd": "payment_request", "order_num": order, "mop": []map[string]any{{"mop_code": "VI", "amount": amount}},
			"cart_items": []map[string]any{{"order_line_item": line, "dm_code": "E"}}}
	}
	checkOut := map[string]any{"cmd": "check_out", "acct_id": acct, "order_num": open}
	for _, c := range []struct {
		name, product, key string
		fields             map[string]any
		status, result     int
		words              string
	}{
		{"check_out of an unknown order", "sth-buy", buy, map[string]any{"cmd": "check_out", "acct_id": acct, "order_num": 4242}, 200, season.ResultNotFound, "no order 4242"},
		{"check_out of another account's cart", "sth-buy", buy, map[string]any{"cmd": "check_out", "acct_id": other, "order_num": open}, 200, season.ResultRefused, "not a cart of account"},
		{"check_out without the account", "sth-buy", buy, map[string]any{"cmd": "check_out", "order_num": open}, 200, season.ResultMissingField, "acct_id"},
		{"check_out with a key of sth-hold", "sth-hold", hold, checkOut, 200, season.ResultNotInProduct, "not part of sth-hold"},
		{"check_out under sth-buy with a key of sth-hold", "sth-buy", hold, checkOut, 401, season.ResultKey, "may not use sth-buy"},
		{"paying less than due", "sth-buy", buy, pay(open, "99.99", 1), 200, season.ResultRefused, "less than the EUR 100.00 due"},
		{"an amount of three decimals", "sth-buy", buy, pay(open, "100.001", 1), 200, season.ResultInvalidField, "mop[0].amount"},
		{"no methods of payment", "sth-buy", buy, map[string]any{"cmd": "payment_request", "order_num": open}, 200, season.ResultMissingField, "mop"},
		{"a line the cart lacks", "sth-buy", buy, pay(open, "100.00", 2), 200, season.ResultInvalidField, "no line 2"},
		{"paying a paid order", "sth-buy", buy, pay(sold, "50.00", 1), 200, season.ResultConflict, "already confirmed"},
		{"paying an unknown order", "sth-buy", buy, pay(4242, "50.00", 1), 200, season.ResultNotFound, "no order 4242"},
		{"printing an unpaid order", "sth-buy", buy, map[string]any{"cmd": "ticket_print", "order_num": open}, 200, season.ResultConflict, "not paid"},
		{"printing nothing named", "sth-buy", buy, map[string]any{"cmd": "ticket_print", "acct_id": acct}, 200, season.ResultMissingField, "event_name"},
		{"printing an account without tickets", "sth-buy", buy, map[string]any{"cmd": "ticket_print", "acct_id": other, "event_name": event}, 200, season.ResultNotFound, "no tickets to print"},
		{"printing by fax", "sth-buy", buy, map[string]any{"cmd": "ticket_print", "order_num": sold, "delivery_method": "fax"}, 200, season.ResultInvalidField, "delivery_method"},
		{"printing on letter paper", "sth-buy", buy, map[string]any{"cmd": "ticket_print", "order_num": sold, "paper_size": "letter"}, 200, season.ResultInvalidField, "paper_size"},
		{"printing an order twice", "sth-buy", buy, map[string]any{"cmd": "ticket_print", "order_num": []int64{sold, sold}}, 200, season.ResultInvalidField, "twice"},
		{"mailing without a mailer", "sth-buy", buy, map[string]any{"cmd": "ticket_print", "order_num": sold, "delivery_method": "email"}, 200, season.ResultRefused, "does not mail"},
		{"printing what another key sold", "sth-buy", otherBuy, map[string]any{"cmd": "ticket_print", "order_num": sold}, 200, season.ResultConflict, "not owned by a customer of this key"},
		{"ticket_print with a key of sth-hold", "sth-hold", hold, map[string]any{"cmd": "ticket_print", "order_num": sold}, 200, season.ResultNotInProduct, "ticket_print"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.call(c.product, c.key, c.fields)
			detail, _ := r.Command1["error_detail"].(string)
			if r.status != c.status || r.result() != c.result || !strings.Contains(detail, c.words) {
				t.Errorf("%d result %d %q, want %d result %d mentioning %q", r.status, r.result(), detail, c.status, c.result, c.words)
			}
		})
	}
	if cart := e.command("sth-buy", buy, map[string]any{"cmd": "shopping_cart", "order_num": open}); cart.Command1["order_status"] != "open" {
		t.Errorf("after the refused payments the cart is %v, want open", cart.Command1["order_status"])
	}
}
