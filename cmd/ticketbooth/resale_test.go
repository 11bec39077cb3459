package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTransferAndResaleCLI: against a server, the shop transfers a ticket to a person by
// e-mail (the old QR is rejected at the gate, the new one admitted), the organizer sets
// the resale terms, a holder's offer above the cap is refused, one at it is listed and
// bought for a customer, the seller's credit is the price less the fee, a bought offer
// cannot be bought again; in-process the offers are listed too; the ledger verifies.
func TestTransferAndResaleCLI(t *testing.T) {
	url, organizer, scannerKey, db := remote(t)
	shopKey := lastLine(mustCLI(t, "keys", "create", "--db", db, "--role", "box-office", "--name", "web shop"))
	conn := func(key string) []string { return []string{"--server", url, "--key", key} }
	address := theatreOnSale(t, conn(organizer), "1h")
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	cmd := func(key string, args ...string) []string {
		return append(append(args, "--contract", address), conn(key)...)
	}
	mustCLI(t, cmd(shopKey, "reserve", "--seat", "1A", "--sender", "customer-4711", "--out", file("bought.json"))...)
	_, qr0 := purchaseFile(t, file("bought.json"))
	r := runCLI(t, "", cmd(shopKey, "transfer", "--seat", "1A")...)
	if r.code != exitUsage || !strings.Contains(r.stderr, "name the receiver") {
		t.Errorf("transfer without a receiver: exit %d %q", r.code, r.stderr)
	}
	out := mustCLI(t, cmd(shopKey, "transfer", "--seat", "1A", "--to-email", "bea@example.com", "--to-last-name", "Example",
		"--out", file("moved.json"))...)
	if !strings.Contains(out, "transferred 1A to customer ") || strings.Contains(out, "mailed") {
		t.Errorf("transfer = %q", out)
	}
	secret1, qr1 := purchaseFile(t, file("moved.json"))
	gate := append(cmd(scannerKey, "scan", "--gate", "north"), "-")
	if r := runCLI(t, qr0+"\n", gate...); r.code != exitNotAdmitted {
		t.Errorf("the QR before the transfer: exit %d %q", r.code, r.stdout)
	}

	mustCLI(t, cmd(organizer, "resale", "terms", "--cap-percent", "120", "--fee-percent", "10")...)
	r = runCLI(t, "", cmd(shopKey, "resale", "offer", "--seat", "1A", "--secret", secret1, "--price", "4201")...)
	if r.code != exitFailed || !strings.Contains(r.stderr, "cap of 4200") {
		t.Errorf("an offer above the cap: exit %d %q", r.code, r.stderr)
	}
	offer := lastLine(mustCLI(t, cmd(shopKey, "resale", "offer", "--seat", "1A", "--secret", secret1, "--price", "4200", "--quiet")...))
	if list := mustCLI(t, "resale", "list", "--contract", address, "--db", db); !strings.Contains(list, "offer "+offer+"  seat 1A  price 4200") {
		t.Errorf("resale list in-process = %q", list)
	}
	buyer := lastLine(mustCLI(t, append([]string{"customer", "add", "--last-name", "Buyer", "--email", "cy@example.com", "--quiet"}, conn(shopKey)...)...))
	out = mustCLI(t, append([]string{"resale", "buy", "--offer", offer, "--customer", buyer, "--out", file("resold.json")}, conn(shopKey)...)...)
	if !strings.Contains(out, "seller credited 3780 after a fee of 420") {
		t.Errorf("resale buy = %q", out)
	}
	r = runCLI(t, "", append([]string{"resale", "buy", "--offer", offer, "--customer", buyer}, conn(shopKey)...)...)
	if r.code != exitFailed || !strings.Contains(r.stderr, "already sold") {
		t.Errorf("buying a sold offer: exit %d %q", r.code, r.stderr)
	}
	if r := runCLI(t, qr1+"\n", gate...); r.code != exitNotAdmitted {
		t.Errorf("the seller's QR after the resale: exit %d %q", r.code, r.stdout)
	}
	_, qr2 := purchaseFile(t, file("resold.json"))
	if r := runCLI(t, qr2+"\n", gate...); r.code != 0 || !strings.Contains(r.stdout, "ADMIT   1A") {
		t.Errorf("the buyer's QR: exit %d %q", r.code, r.stdout)
	}
	if credits := mustCLI(t, cmd(organizer, "resale", "credits")...); !strings.Contains(credits, "1 sold offers, 3780 owed") {
		t.Errorf("resale credits = %q", credits)
	}
	mustCLI(t, "ledger", "verify", "--db", db)
}
