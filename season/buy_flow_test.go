package season_test

import (
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/internal/testtool"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
	"github.com/ticketbooth-go/ticketbooth/season"
)

// TestBuyFlowToTheGate runs the buy flow as a partner drives it: an account added, seats held,
// the cart read, checked out, paid (less than due first) and printed as a PDF whose codes,
// read back by zbarimg, are admitted at the gate, while the codes the payment answered
// are refused from the print on.
func TestBuyFlowToTheGate(t *testing.T) {
	e := newEnv(t)
	buy, hold := e.partner("sth-buy", "main"), e.partner("sth-hold", "main")
	event := e.event(2, 4)
	added := e.command("sth-buy", buy, map[string]any{"cmd": "customer_add", "pin": "4711",
		"customer": map[string]any{"name_first": "Ada", "name_last": "Lovelace", "email": "ada@example.com"}})
	acct := number(t, added.Command1["acct_id"])
	held := e.command("sth-hold", hold, map[string]any{"cmd": "seats_hold", "event_name": event, "acct_id": acct,
		"ticket_type": []map[string]any{{"num_seats": 2, "ticket_type_code": "BASE"}, {"num_seats": 1, "ticket_type_code": "CHILD"}}})
	order := number(t, held.Command1["order_num_out"])
	if cart := e.command("sth-hold", hold, map[string]any{"cmd": "shopping_cart", "order_num": order}); cart.Command1["total"] != "125.00" {
		t.Fatalf("shopping_cart total %v, want 125.00", cart.Command1["total"])
	}
	out := e.command("sth-buy", buy, map[string]any{"cmd": "check_out", "acct_id": strconv.FormatInt(acct, 10), "order_num": strconv.FormatInt(order, 10)})
	if out.Command1["total_due"] != "125.00" || len(list(t, out.Command1["service_charges"])) != 0 ||
		out.Command1["service_charge_total"] != "0.00" || len(list(t, out.Command1["cart_items"])) != 2 {
		t.Errorf("check_out = %v", out.Command1)
	}
	pay := func(amounts ...any) map[string]any {
		var mop []map[string]any
		for _, a := range amounts {
			mop = append(mop, map[string]any{"mop_code": "VI", "amount": a})
		}
		return map[string]any{"cmd": "payment_request", "order_num": order, "mop": mop,
			"cart_items": []map[string]any{{"order_line_item": 1, "dm_code": "E"}, {"order_line_item": 2, "dm_code": "E"}}}
	}
	short := e.call("sth-buy", buy, pay("100.00", "24.99"))
	if detail, _ := short.Command1["error_detail"].(string); short.result() != season.ResultRefused || !strings.Contains(detail, "EUR 124.99 is less than the EUR 125.00 due") {
		t.Errorf("paying less: result %d %q", short.result(), detail)
	}
	paid := e.command("sth-buy", buy, pay("100.00", 25))
	if paid.Command1["amount_paid"] != "125.00" || paid.Command1["change_due"] != "0.00" || paid.Command1["order_status"] != "confirmed" {
		t.Errorf("payment_request = %v", paid.Command1)
	}
	var first []string
	for _, tk := range list(t, paid.Command1["tickets"]) {
		first = append(first, tk["barcode"].(string))
		if tk["dm_code"] != "E" {
			t.Errorf("ticket %v: dm_code %v, want E", seatText(tk), tk["dm_code"])
		}
	}
	e.gate(event, first, ledger.StatusValid)
	printed := e.command("sth-buy", buy, map[string]any{"cmd": "ticket_print", "acct_id": acct, "event_name": event, "paper_size": "A6"})
	if number(t, printed.Command1["num_tickets"]) != 3 || printed.Command1["paper_size"] != "A6" {
		t.Errorf("ticket_print = %v", printed.Command1)
	}
	codes := scanPDF(t, printed.Command1["pdf"].(string))
	if len(codes) != 3 || slices.ContainsFunc(codes, func(c string) bool { return slices.Contains(first, c) }) {
		t.Fatalf("the PDF's codes %q, want three new ones", codes)
	}
	e.gate(event, first, ledger.StatusInvalid)
	e.gate(event, codes, ledger.StatusAdmitted)
	again := e.call("sth-buy", buy, map[string]any{"cmd": "ticket_print", "order_num": []string{strconv.FormatInt(order, 10)}})
	if detail, _ := again.Command1["error_detail"].(string); again.result() != season.ResultConflict || !strings.Contains(detail, "checked in at the gate") {
		t.Errorf("printing tickets all checked in: result %d %q", again.result(), detail)
	}
}

// gate checks each code at the event's gate (only verifying when want is StatusValid)
// and fails unless every ticket gets want.
func (e *env) gate(event string, codes []string, want string) {
	e.t.Helper()
	g := &scanner.Gate{Ledger: e.store.Gate}
	for _, code := range codes {
		res, err := g.CheckIn(admin(), event, scanner.Scan{QR: code, Gate: "North", VerifyOnly: want == ledger.StatusValid})
		if err != nil || len(res) != 1 || res[0].Status != want {
			e.t.Errorf("at the gate: %v %v, want %s", res, err, want)
		}
	}
}

// scanPDF writes the base64 PDF to a file, rasterizes its pages with pdftoppm and reads
// each page's QR code with zbarimg, in page order.
func scanPDF(t *testing.T, b64 string) []string {
	t.Helper()
	pdftoppm := testtool.Need(t, "pdftoppm", "poppler-utils")
	zbarimg := testtool.Need(t, "zbarimg", "zbar-tools")
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || !strings.HasPrefix(string(data), "%PDF-") {
		t.Fatalf("pdf is not a base64 PDF: %v", err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "tickets.pdf")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-r", strconv.Itoa(150), "-png", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	var codes []string
	for _, page := range pages {
		out, err := exec.Command(zbarimg, "-q", "--raw", "-Sdisable", "-Sqrcode.enable", page).Output()
		if err != nil {
			t.Fatalf("zbarimg found no QR code on %s: %v", filepath.Base(page), err)
		}
		codes = append(codes, strings.TrimRight(string(out), "\n"))
	}
	return codes
}
