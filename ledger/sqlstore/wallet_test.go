package sqlstore_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// walletEnv is a contract on sale with customer "mine" holding 1A and 1B and customer
// "other" holding 2A, all confirmed bookings with real secret digests.
type walletEnv struct {
	*bookingEnv
	mine, other int64
}

func openWallets(t *testing.T) *walletEnv {
	t.Helper()
	w := &walletEnv{bookingEnv: openBookings(t, time.Hour, "1A", "1B", "2A")}
	w.mine = w.confirm(t, "1A", "1B")
	w.other = w.confirm(t, "2A")
	return w
}

// confirm books the seats for a new customer and confirms them with the secrets
// "secret-SEAT"; it returns the customer.
func (w *walletEnv) confirm(t *testing.T, seats ...string) int64 {
	t.Helper()
	bk := w.book(t, seats...)
	o := ledger.Order{Sender: ledger.BookingSender(bk.Customer)}
	for _, s := range seats {
		o.Tickets = append(o.Tickets, ledger.SealedTicket{Seat: parseSeats(t, s)[0], SecretCiphertext: []byte{1},
			SecretDigest: crypto.SecretDigest("secret-" + s)})
	}
	_, err := w.store.Bookings.Confirm(w.org, bk.ID, o)
	mustNil(t, err, "Confirm")
	return bk.Customer
}

// code is the wallet code of the seat as its mail carries it.
func (w *walletEnv) code(t *testing.T, seat string) ledger.WalletCode {
	return ledger.WalletCode{Contract: w.contract, Seat: parseSeats(t, seat)[0], QR: "QR of " + seat,
		SecretDigest: crypto.SecretDigest("secret-" + seat)}
}

// ticketID returns the id of the seat's ticket in the wallet of token.
func (w *walletEnv) ticketID(t *testing.T, token, seat string) ledger.TicketID {
	t.Helper()
	wl, err := w.store.Wallets.Wallet(context.Background(), token)
	mustNil(t, err, "Wallet")
	for _, tk := range wl.Tickets {
		if tk.Seat.String() == seat {
			id, err := ledger.ParseTicketID(tk.ID)
			mustNil(t, err, "ParseTicketID")
			return id
		}
	}
	t.Fatalf("seat %s not in the wallet %+v", seat, wl)
	return ledger.TicketID{}
}

// TestWalletLink: a link lists exactly its customer's tickets in the customer's language
// and opens the codes it was given; the tables hold neither the token nor a QR text.
func TestWalletLink(t *testing.T) {
	w := openWallets(t)
	token, err := w.store.Wallets.OpenLink(w.org, w.mine, []ledger.WalletCode{w.code(t, "1A"), w.code(t, "1B")})
	mustNil(t, err, "OpenLink")
	if raw, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(raw) != 32 {
		t.Fatalf("token %q is not 32 bytes of base64url", token)
	}
	wl, err := w.store.Wallets.Wallet(context.Background(), token)
	mustNil(t, err, "Wallet")
	if wl.Language != "de" || len(wl.Tickets) != 2 {
		t.Fatalf("Wallet = %+v, want 2 tickets in German", wl)
	}
	for i, seat := range []string{"1A", "1B"} {
		tk := wl.Tickets[i]
		if tk.Seat.String() != seat || !tk.HasCode || tk.Status != ledger.TicketIssued || tk.Format != ledger.FormatPDF || tk.Venue == "" {
			t.Errorf("ticket %d = %+v, want %s issued with its code", i, tk, seat)
		}
		qr, err := w.store.Wallets.Code(context.Background(), token, w.ticketID(t, token, seat))
		mustNil(t, err, "Code")
		if qr != "QR of "+seat {
			t.Errorf("Code(%s) = %q", seat, qr)
		}
	}
	w.wantNoSecrets(t, token, "QR of 1A", "QR of 1B")
}

// wantNoSecrets fails when a wallet table holds the token (as text, bytes or hex) or a QR text.
func (w *walletEnv) wantNoSecrets(t *testing.T, token string, qrs ...string) {
	t.Helper()
	raw, _ := base64.RawURLEncoding.DecodeString(token)
	secrets := append([]string{token, hex.EncodeToString(raw), string(raw)}, qrs...)
	for _, q := range []string{`SELECT token_hash || ' ' || customer FROM wallet_links`,
		`SELECT token_hash || ' ' || secret_digest || ' ' || sealed FROM wallet_codes`} {
		rows, err := w.rawDB(t).Query(q)
		mustNil(t, err, "reading the wallet tables")
		for rows.Next() {
			var row string
			mustNil(t, rows.Scan(&row), "scanning")
			for _, s := range secrets {
				if strings.Contains(row, s) {
					t.Errorf("a wallet row holds a secret %q: %s", s, row)
				}
			}
		}
		rows.Close()
	}
}

// TestWalletTokens: malformed, unknown and revoked tokens are EUNAUTHORIZED; revoking by
// the holder ends one link, by the organizer every link of the customer.
func TestWalletTokens(t *testing.T) {
	w := openWallets(t)
	first, err := w.store.Wallets.OpenLink(w.org, w.mine, []ledger.WalletCode{w.code(t, "1A")})
	mustNil(t, err, "OpenLink")
	second, err := w.store.Wallets.OpenLink(w.org, w.mine, nil)
	mustNil(t, err, "OpenLink")
	ctx := context.Background()
	other := []byte(first)
	other[0] ^= 1
	for _, bad := range []string{"", "abc", string(other), first + "=", strings.Repeat("A", 43), first[:42] + "!"} {
		_, err := w.store.Wallets.Wallet(ctx, bad)
		wantCode(t, err, ledger.EUNAUTHORIZED)
	}
	mustNil(t, w.store.Wallets.RevokeLink(ctx, first), "RevokeLink")
	_, err = w.store.Wallets.Wallet(ctx, first)
	wantMessage(t, err, ledger.EUNAUTHORIZED, "not valid")
	wantCode(t, w.store.Wallets.RevokeLink(ctx, first), ledger.EUNAUTHORIZED)
	if n := w.count(t, `SELECT COUNT(*) FROM wallet_codes`); n != 0 {
		t.Errorf("%d codes left after the revocation", n)
	}
	_, err = w.store.Wallets.Wallet(ctx, second)
	mustNil(t, err, "the second link after the first was revoked")
	n, err := w.store.Wallets.RevokeLinks(w.org, w.mine)
	mustNil(t, err, "RevokeLinks")
	if n != 1 {
		t.Errorf("RevokeLinks revoked %d links, want 1", n)
	}
	_, err = w.store.Wallets.Wallet(ctx, second)
	wantCode(t, err, ledger.EUNAUTHORIZED)
}

func (w *walletEnv) count(t *testing.T, q string) int {
	var n int
	mustNil(t, w.rawDB(t).QueryRow(q).Scan(&n), "counting")
	return n
}

// TestWalletCodeRefusals: another customer's ticket, a link without the code, a reissued
// ticket, and the keys that may not make links.
func TestWalletCodeRefusals(t *testing.T) {
	w := openWallets(t)
	token, err := w.store.Wallets.OpenLink(w.org, w.mine, []ledger.WalletCode{w.code(t, "1A"), w.code(t, "1B")})
	mustNil(t, err, "OpenLink")
	theirs, err := w.store.Wallets.OpenLink(w.org, w.other, []ledger.WalletCode{w.code(t, "2A")})
	mustNil(t, err, "OpenLink")
	ctx := context.Background()
	_, err = w.store.Wallets.Code(ctx, token, w.ticketID(t, theirs, "2A"))
	wantMessage(t, err, ledger.ENOTFOUND, "not in this wallet")
	bare, err := w.store.Wallets.OpenLink(w.org, w.mine, nil)
	mustNil(t, err, "OpenLink")
	_, err = w.store.Wallets.Code(ctx, bare, w.ticketID(t, bare, "1A"))
	wantMessage(t, err, ledger.ENOTFOUND, "holds no code")

	id := w.ticketID(t, token, "1B")
	_, err = w.store.Selling.Reissue(w.org, w.contract, ledger.ReissueRequest{Ticket: ledger.SealedTicket{
		Seat: parseSeats(t, "1B")[0], SecretCiphertext: []byte{1}, SecretDigest: crypto.SecretDigest("new secret")}})
	mustNil(t, err, "Reissue")
	_, err = w.store.Wallets.Code(ctx, token, id)
	wantMessage(t, err, ledger.EREFUSED, "reissued or transferred")
	wl, err := w.store.Wallets.Wallet(ctx, token)
	mustNil(t, err, "Wallet")
	if len(wl.Tickets) != 2 || wl.Tickets[1].HasCode || !wl.Tickets[0].HasCode {
		t.Errorf("after the reissue of 1B the wallet = %+v, want 1A with its code, 1B without", wl.Tickets)
	}

	scanner := w.actor(t, ledger.RoleScanner, "gate")
	_, err = w.store.Wallets.OpenLink(scanner, w.mine, nil)
	wantCode(t, err, ledger.EFORBIDDEN)
	stranger := w.actor(t, ledger.RoleOrganizer, "another promoter")
	_, err = w.store.Wallets.OpenLink(stranger, w.mine, nil)
	wantCode(t, err, ledger.ENOTFOUND)
	_, err = w.store.Wallets.RevokeLinks(stranger, w.mine)
	wantCode(t, err, ledger.ENOTFOUND)
	_, err = w.store.Wallets.CustomerTickets(stranger, w.mine)
	wantCode(t, err, ledger.ENOTFOUND)
	held, err := w.store.Wallets.CustomerTickets(w.org, w.mine)
	mustNil(t, err, "CustomerTickets")
	if len(held) != 2 || held[0].Seat.String() != "1A" || held[0].HasCode {
		t.Errorf("CustomerTickets = %+v, want 1A and 1B without codes", held)
	}
	_, err = w.store.Wallets.OpenLink(w.org, w.mine, []ledger.WalletCode{{Contract: w.contract, Seat: parseSeats(t, "9Z")[0], QR: "x", SecretDigest: []byte{1}}})
	wantCode(t, err, ledger.EINVALID)
}
