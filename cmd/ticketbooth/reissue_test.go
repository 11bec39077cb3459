package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// purchaseFile reads a ticket written with --out FILE.json: its first secret and QR text.
func purchaseFile(t *testing.T, path string) (secret, qr string) {
	t.Helper()
	var p struct {
		Tickets []struct{ Secret struct{ Plaintext string } }
		QR      []string
	}
	raw, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(raw, &p) != nil || len(p.Tickets) == 0 || len(p.QR) == 0 {
		t.Fatalf("%s = %s (%v)", path, raw, err)
	}
	return p.Tickets[0].Secret.Plaintext, p.QR[0]
}

// TestReissueCLI: reissue end to end against a server. Another shop's key cannot reissue
// a ticket without its secret, and its refusal names no sender; the organizer, the shop
// that sold it and anyone with the secret can; every reissue refuses the previous QR at
// the gate and the newest is admitted; a ticket checked in is not reissued; verify holds.
func TestReissueCLI(t *testing.T) {
	url, organizer, scannerKey, db := remote(t)
	shopKey := lastLine(mustCLI(t, "keys", "create", "--db", db, "--role", "box-office", "--name", "web shop"))
	otherKey := lastLine(mustCLI(t, "keys", "create", "--db", db, "--role", "box-office", "--name", "other shop"))
	conn := func(key string) []string { return []string{"--server", url, "--key", key} }
	address := theatreOnSale(t, conn(organizer), "1h")
	dir := t.TempDir()
	file := func(name string) string { return filepath.Join(dir, name) }
	cmd := func(key string, args ...string) []string {
		return append(append(args, "--contract", address), conn(key)...)
	}
	mustCLI(t, cmd(shopKey, "reserve", "--seat", "1A,1B", "--sender", "customer-4711", "--out", file("bought.json"))...)
	_, qr0 := purchaseFile(t, file("bought.json"))

	r := runCLI(t, "", cmd(otherKey, "reissue", "--seat", "1A", "--out", file("stolen.png"))...)
	if r.code != exitFailed || !strings.Contains(r.stderr, "not owned by") || strings.Contains(r.stderr, "4711") {
		t.Errorf("another shop without the secret: exit %d %q", r.code, r.stderr)
	}
	out := mustCLI(t, cmd(organizer, "reissue", "--seat", "1A", "--out", file("r1.json"))...)
	if !strings.Contains(out, "reissued 1A for holder C") || strings.Contains(out, "4711") {
		t.Errorf("reissue by the organizer = %q", out)
	}
	secret1, qr1 := purchaseFile(t, file("r1.json"))
	mustCLI(t, cmd(otherKey, "reissue", "--seat", "1A", "--secret", secret1, "--out", file("r2.png"))...)
	mustCLI(t, cmd(shopKey, "reissue", "--seat", "1B", "--out", file("b.pdf"), "--layout", "a6")...)
	if pdf, err := os.ReadFile(file("b.pdf")); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Errorf("reissue --out b.pdf wrote no PDF (%v)", err)
	}

	gate := cmd(scannerKey, "scan", "--gate", "north")
	for name, qr := range map[string]string{"bought": qr0, "first reissue": qr1} {
		r := runCLI(t, qr+"\n", append(gate, "-")...)
		if r.code != exitNotAdmitted || !strings.Contains(r.stdout, "REJECT  1A") {
			t.Errorf("%s QR after its reissue: exit %d %q", name, r.code, r.stdout)
		}
	}
	r = runCLI(t, "", append(gate, file("r2.png"))...)
	if r.code != 0 || !strings.Contains(r.stdout, "ADMIT   1A") {
		t.Errorf("newest QR: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, "", cmd(organizer, "reissue", "--seat", "1A", "--out", file("late.json"))...)
	if r.code != exitFailed || !strings.Contains(r.stderr, "used at the gate") {
		t.Errorf("reissue after check-in: exit %d %q", r.code, r.stderr)
	}
	r = runCLI(t, "", cmd(organizer, "reissue", "--seat", "2A", "--out", file("free.json"))...)
	if r.code != exitFailed || !strings.Contains(r.stderr, "not sold") {
		t.Errorf("reissue of a free seat: exit %d %q", r.code, r.stderr)
	}
	mustCLI(t, "ledger", "verify", "--db", db)
}
