package sqlstore_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// secureEnv is a sale with a confirmed SECURE booking of 1A and 1B (secrets secretA,
// secretB) for holder, and a PDF booking's 1C (secret secretC) for another customer.
type secureEnv struct {
	*bookingEnv
	holder, other int64
	// tokens are the wallet links of holder and other
	holderToken, otherToken string
}

const (
	secretA = "AAAAAAAAAAAAAAA"
	secretB = "BBBBBBBBBBBBBBB"
	secretC = "CCCCCCCCCCCCCCC"
)

func openSecure(t *testing.T) *secureEnv {
	t.Helper()
	b := openBookings(t, 0, "1A", "1B", "1C", "2A")
	s := &secureEnv{bookingEnv: b, holder: b.customer(t), other: b.customer(t)}
	bk, err := b.store.Bookings.OpenBooking(b.org, ledger.BookingRequest{Contract: b.contract, Customer: s.holder, Format: ledger.FormatSecure})
	mustNil(t, err, "OpenBooking")
	_, err = b.store.Bookings.Hold(b.org, bk.ID, ledger.HoldSeats("", parseSeats(t, "1A", "1B")...))
	mustNil(t, err, "Hold")
	_, err = b.store.Bookings.Confirm(b.org, bk.ID, ledger.Order{Sender: ledger.BookingSender(s.holder),
		Tickets: []ledger.SealedTicket{secretTicket(t, "1A", secretA), secretTicket(t, "1B", secretB)}})
	mustNil(t, err, "Confirm")
	pdf, err := b.store.Bookings.NewBooking(b.org, b.contract, s.other)
	mustNil(t, err, "NewBooking")
	_, err = b.store.Bookings.Hold(b.org, pdf.ID, ledger.HoldSeats("", parseSeats(t, "1C")...))
	mustNil(t, err, "Hold")
	_, err = b.store.Bookings.Confirm(b.org, pdf.ID, ledger.Order{Sender: ledger.BookingSender(s.other),
		Tickets: []ledger.SealedTicket{secretTicket(t, "1C", secretC)}})
	mustNil(t, err, "Confirm")
	s.holderToken, err = b.store.Wallets.OpenLink(b.org, s.holder, nil)
	mustNil(t, err, "OpenLink")
	s.otherToken, err = b.store.Wallets.OpenLink(b.org, s.other, nil)
	mustNil(t, err, "OpenLink")
	return s
}

// ticketID is the id of the seat's ticket in the sale (the contract's seats are made in
// the order 1A, 1B, 1C, 2A).
func (s *secureEnv) ticketID(t *testing.T, seat string) ledger.TicketID {
	t.Helper()
	idx := map[string]int{"1A": 0, "1B": 1, "1C": 2, "2A": 3}[seat]
	return ledger.TicketID{Contract: s.contract, Sale: 1, Index: idx}
}

func newDeviceKey(t testing.TB) (*ecdsa.PrivateKey, []byte) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	mustNil(t, err, "GenerateKey")
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	mustNil(t, err, "MarshalPKIXPublicKey")
	return k, der
}

func (s *secureEnv) register(t *testing.T, token string, seat string, key []byte) (ledger.DeviceReceipt, error) {
	t.Helper()
	return s.store.Devices.RegisterDevice(context.Background(), ledger.DeviceRequest{Token: token, Ticket: s.ticketID(t, seat), PublicKey: key})
}

// code is the device's code for the seat at the store's clock, steps away from it.
func (s *secureEnv) code(t *testing.T, key *ecdsa.PrivateKey, seat string, steps int64) ledger.RotatingCode {
	t.Helper()
	c, err := ledger.SignRotatingCode(key, s.contract, parseSeats(t, seat)[0], ledger.RotatingStepAt(s.clock.Now())+steps)
	mustNil(t, err, "SignRotatingCode")
	return c
}

// scan checks one code or one static QR in and returns its result.
func (s *secureEnv) scan(t *testing.T, r ledger.CheckInRequest) ledger.CheckResult {
	t.Helper()
	res, err := s.store.Gate.CheckIn(s.org, s.contract, r)
	mustNil(t, err, "CheckIn")
	if len(res) != 1 {
		t.Fatalf("CheckIn: %d results, want 1", len(res))
	}
	return res[0]
}

func wantStatus(t *testing.T, what string, got ledger.CheckResult, status, reason string) {
	t.Helper()
	if got.Status != status || !strings.Contains(got.Reason, reason) {
		t.Errorf("%s: %s %q, want %s %q", what, got.Status, got.Reason, status, reason)
	}
}

// TestRegisterDevice: the holder registers a phone for a SECURE ticket; registering again
// replaces it (the old phone's codes refused from then on, the new one's admitted); the
// journal shows no key and replays both.
func TestRegisterDevice(t *testing.T) {
	s := openSecure(t)
	oldKey, oldPub := newDeviceKey(t)
	rc, err := s.register(t, s.holderToken, "1A", oldPub)
	mustNil(t, err, "RegisterDevice")
	if rc.Device != 1 || rc.Replaced || rc.Kind != ledger.TxDeviceRegistered || rc.Actor != "wallet" ||
		rc.CodePrefix != ledger.RotatingPrefix+s.contract+".1A." {
		t.Errorf("first registration: %+v", rc)
	}
	effect := string(rc.Effect)
	if strings.Contains(effect, hex.EncodeToString(oldPub)) || strings.Contains(effect, "customer") || !strings.Contains(effect, `"keyDigest"`) {
		t.Errorf("effect %s shows a key or the customer", effect)
	}
	newKey, newPub := newDeviceKey(t)
	rc, err = s.register(t, s.holderToken, "1A", newPub)
	mustNil(t, err, "RegisterDevice again")
	if rc.Device != 2 || !rc.Replaced {
		t.Errorf("second registration: device %d, replaced %v", rc.Device, rc.Replaced)
	}
	wantStatus(t, "the old phone's code", s.scan(t, ledger.CheckInRequest{Code: ptr(s.code(t, oldKey, "1A", 0))}),
		ledger.StatusInvalid, "not made by the phone registered")
	wantStatus(t, "the new phone's code", s.scan(t, ledger.CheckInRequest{Code: ptr(s.code(t, newKey, "1A", 0))}), ledger.StatusAdmitted, "")
	st, err := s.store.Devices.Device(context.Background(), s.holderToken, s.ticketID(t, "1A"))
	mustNil(t, err, "Device")
	if st.Device != 2 || string(st.PublicKey) != string(newPub) || !st.Now.Equal(s.clock.Now()) || st.CodePrefix != rc.CodePrefix {
		t.Errorf("Device after the move and the check-in: %+v", st)
	}
	_, err = s.store.Devices.Device(context.Background(), s.otherToken, s.ticketID(t, "1A"))
	wantMessage(t, err, ledger.EREFUSED, "not one of this wallet's tickets")
	if rep := mustVerify(t, s.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

func ptr[T any](v T) *T { return &v }

// TestRegisterDeviceRefused: only the holder, only SECURE tickets, only well-formed P-256
// keys, only tickets not yet used.
func TestRegisterDeviceRefused(t *testing.T) {
	s := openSecure(t)
	key, pub := newDeviceKey(t)
	_, err := s.register(t, s.otherToken, "1A", pub)
	wantMessage(t, err, ledger.EREFUSED, "not one of this wallet's tickets")
	_, err = s.register(t, s.holderToken, "2A", pub) // unsold
	wantMessage(t, err, ledger.EREFUSED, "not one of this wallet's tickets")
	_, err = s.register(t, s.otherToken, "1C", pub)
	wantMessage(t, err, ledger.EREFUSED, "only SECURE tickets")
	_, err = s.register(t, s.holderToken, "1C", pub)
	wantMessage(t, err, ledger.EREFUSED, "not one of this wallet's tickets")
	_, err = s.store.Devices.RegisterDevice(context.Background(), ledger.DeviceRequest{Token: s.holderToken,
		Ticket: ledger.TicketID{Contract: s.contract, Sale: 1, Index: 9}, PublicKey: pub}) // no such seat
	wantMessage(t, err, ledger.EREFUSED, "not one of this wallet's tickets")
	_, err = s.store.Devices.RegisterDevice(context.Background(), ledger.DeviceRequest{Token: s.holderToken,
		Ticket: ledger.TicketID{Contract: s.contract, Sale: 2, Index: 0}, PublicKey: pub}) // no such sale
	wantMessage(t, err, ledger.EREFUSED, "not one of this wallet's tickets")
	_, err = s.register(t, "not-a-token", "1A", pub)
	wantCode(t, err, ledger.EUNAUTHORIZED)
	_, err = s.store.Wallets.RevokeLinks(s.org, s.other)
	mustNil(t, err, "RevokeLinks")
	_, err = s.register(t, s.otherToken, "1C", pub) // a revoked link
	wantCode(t, err, ledger.EUNAUTHORIZED)
	_, err = s.register(t, s.holderToken, "1A", pub[:40])
	wantMessage(t, err, ledger.EINVALID, "P-256")
	_, err = s.register(t, s.holderToken, "1B", pub)
	mustNil(t, err, "RegisterDevice 1B")
	wantStatus(t, "1B's code", s.scan(t, ledger.CheckInRequest{Code: ptr(s.code(t, key, "1B", 0))}), ledger.StatusAdmitted, "")
	_, err = s.register(t, s.holderToken, "1B", pub)
	wantMessage(t, err, ledger.ECONFLICT, "used at the gate")
	if n := len(s.journalKinds(t, ledger.TxDeviceRegistered, "")); n != 1 {
		t.Errorf("%d registrations journaled, want 1 (refusals journal nothing)", n)
	}
}

// TestRotatingCheckIn: a current code admits once; the same code replayed after the window
// is refused as expired; a code from too far ahead is refused; the genuine static QR of a
// SECURE ticket with a phone is refused in words, while one without a phone and a PDF
// ticket's are admitted.
func TestRotatingCheckIn(t *testing.T) {
	s := openSecure(t)
	key, pub := newDeviceKey(t)
	_, err := s.register(t, s.holderToken, "1A", pub)
	mustNil(t, err, "RegisterDevice")
	static := func(seat, secret string) ledger.CheckInRequest {
		return ledger.CheckInRequest{Tickets: []ledger.QRTicket{{Seat: parseSeats(t, seat)[0], Secret: secret}}}
	}
	wantStatus(t, "1A's static QR", s.scan(t, static("1A", secretA)), ledger.StatusInvalid, "show the code in the wallet")
	wantStatus(t, "a code 3 steps ahead", s.scan(t, ledger.CheckInRequest{Code: ptr(s.code(t, key, "1A", 3))}), ledger.StatusInvalid, "future")
	code := s.code(t, key, "1A", -2) // 30 s old: still in the window
	wantStatus(t, "verify only", s.scan(t, ledger.CheckInRequest{Code: &code, VerifyOnly: true}), ledger.StatusValid, "")
	wantStatus(t, "the code", s.scan(t, ledger.CheckInRequest{Code: &code, Gate: "north"}), ledger.StatusAdmitted, "")
	wantStatus(t, "the code again", s.scan(t, ledger.CheckInRequest{Code: &code}), ledger.StatusAlreadyCheckedIn, "")
	s.clock.Advance(ledger.RotatingStep)
	wantStatus(t, "the code replayed later", s.scan(t, ledger.CheckInRequest{Code: &code}), ledger.StatusInvalid, ledger.MsgCodeExpired)
	wantStatus(t, "1B's static QR, no phone yet", s.scan(t, static("1B", secretB)), ledger.StatusAdmitted, "")
	wantStatus(t, "1C's PDF QR", s.scan(t, static("1C", secretC)), ledger.StatusAdmitted, "")
	other := ledger.RotatingCode{Contract: s.contract, Seat: parseSeats(t, "1C")[0]}
	wantStatus(t, "a code for a PDF ticket", s.scan(t, ledger.CheckInRequest{Code: &other}), ledger.StatusInvalid, "no phone is registered")
	if rep := mustVerify(t, s.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

// TestRotatingWindowEdges: at the gate, a code two steps either side of the clock admits
// (verify only), three steps behind is expired.
func TestRotatingWindowEdges(t *testing.T) {
	s := openSecure(t)
	key, pub := newDeviceKey(t)
	_, err := s.register(t, s.holderToken, "1A", pub)
	mustNil(t, err, "RegisterDevice")
	for steps, want := range map[int64]string{-3: ledger.StatusInvalid, -2: ledger.StatusValid, 2: ledger.StatusValid, 3: ledger.StatusInvalid} {
		got := s.scan(t, ledger.CheckInRequest{Code: ptr(s.code(t, key, "1A", steps)), VerifyOnly: true})
		if got.Status != want {
			t.Errorf("a code %+d steps from the clock: %s %q, want %s", steps, got.Status, got.Reason, want)
		}
	}
}

// TestRotatingAfterReissue: a reissue (a new secret) retires the phone: its codes are
// refused in words, the new static QR admits until a phone is registered again.
func TestRotatingAfterReissue(t *testing.T) {
	s := openSecure(t)
	key, pub := newDeviceKey(t)
	_, err := s.register(t, s.holderToken, "1A", pub)
	mustNil(t, err, "RegisterDevice")
	const newSecret = "NNNNNNNNNNNNNNN"
	_, err = s.store.Selling.Reissue(s.org, s.contract, ledger.ReissueRequest{Ticket: secretTicket(t, "1A", newSecret)})
	mustNil(t, err, "Reissue")
	wantStatus(t, "the phone's code after the reissue", s.scan(t, ledger.CheckInRequest{Code: ptr(s.code(t, key, "1A", 0)), VerifyOnly: true}),
		ledger.StatusInvalid, "reissued or passed on")
	wantStatus(t, "the new static QR", s.scan(t, ledger.CheckInRequest{VerifyOnly: true,
		Tickets: []ledger.QRTicket{{Seat: parseSeats(t, "1A")[0], Secret: newSecret}}}), ledger.StatusValid, "")
	st, err := s.store.Devices.Device(context.Background(), s.holderToken, s.ticketID(t, "1A"))
	mustNil(t, err, "Device")
	if st.Device != 1 || st.PublicKey != nil {
		t.Errorf("Device after the reissue: %+v, want the retired key left out", st)
	}
	_, err = s.register(t, s.holderToken, "1A", pub) // the phone again, for the new secret
	mustNil(t, err, "RegisterDevice after the reissue")
	wantStatus(t, "the code once registered again", s.scan(t, ledger.CheckInRequest{Code: ptr(s.code(t, key, "1A", 0))}), ledger.StatusAdmitted, "")
	if rep := mustVerify(t, s.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}

// TestVerifyDeviceKeys: a device key changed, added or removed behind the store's back is
// reported by ledger verify.
func TestVerifyDeviceKeys(t *testing.T) {
	s := openSecure(t)
	_, pub := newDeviceKey(t)
	_, err := s.register(t, s.holderToken, "1A", pub)
	mustNil(t, err, "RegisterDevice")
	_, forged := newDeviceKey(t)
	db := s.rawDB(t)
	for _, tc := range []struct{ sql, want string }{
		{`UPDATE device_keys SET public_key = '` + hex.EncodeToString(forged) + `'`, "public_key is not the key the journal registered"},
		{`UPDATE device_keys SET secret_digest = 'ab'`, "secret_digest is ab in the table"},
		{`INSERT INTO device_keys (contract, sale, idx, public_key, secret_digest, device, registered_at)
			SELECT contract, sale, 1, public_key, secret_digest, 1, 0 FROM device_keys`, "never registered by the journal"},
		{`DELETE FROM device_keys`, "missing from the device_keys table"},
	} {
		mustExec(t, db, `DELETE FROM device_keys WHERE idx = 1`)
		mustExec(t, db, tc.sql)
		rep := mustVerify(t, s.env)
		if rep.OK || !strings.Contains(strings.Join(rep.Problems, "\n"), tc.want) {
			t.Errorf("after %s: %v, want %q", tc.sql, rep.Problems, tc.want)
		}
	}
}

// TestRotatingAfterTransfer: a transfer to another customer retires the phone of the
// holder before: its codes are refused in words, the old holder's wallet may no longer
// register, and the new holder's may.
func TestRotatingAfterTransfer(t *testing.T) {
	s := openSecure(t)
	key, pub := newDeviceKey(t)
	_, err := s.register(t, s.holderToken, "1A", pub)
	mustNil(t, err, "RegisterDevice")
	receiver := s.customer(t)
	_, err = s.store.Resale.Transfer(s.org, s.contract, ledger.TransferRequest{Secret: secretA, To: ledger.BookingSender(receiver),
		Ticket: secretTicket(t, "1A", "TTTTTTTTTTTTTTT")})
	mustNil(t, err, "Transfer")
	wantStatus(t, "the old holder's code", s.scan(t, ledger.CheckInRequest{Code: ptr(s.code(t, key, "1A", 0)), VerifyOnly: true}),
		ledger.StatusInvalid, "reissued or passed on")
	_, err = s.register(t, s.holderToken, "1A", pub)
	wantMessage(t, err, ledger.EREFUSED, "not one of this wallet's tickets")
	token, err := s.store.Wallets.OpenLink(s.org, receiver, nil)
	mustNil(t, err, "OpenLink")
	newKey, newPub := newDeviceKey(t)
	_, err = s.register(t, token, "1A", newPub)
	mustNil(t, err, "RegisterDevice by the new holder")
	wantStatus(t, "the new holder's code", s.scan(t, ledger.CheckInRequest{Code: ptr(s.code(t, newKey, "1A", 0))}), ledger.StatusAdmitted, "")
	if rep := mustVerify(t, s.env); !rep.OK {
		t.Fatalf("verify: %v", rep.Problems)
	}
}
