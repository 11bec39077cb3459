package offline_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// TestCopyRotatingCodes: a SECURE ticket whose phone is registered on the real store is
// admitted offline by the phone's current code, checked with the key in the copy; its
// static QR, a code signed by another key, an expired code and a code of another
// contract are refused with the ledger's reasons.
func TestCopyRotatingCodes(t *testing.T) {
	e := newSaleEnv(t)
	const secret = "Ab3dEf6hIj9kLm0"
	key := e.securePhone(t, secret)
	dev := e.device(t)
	step := ledger.RotatingStepAt(e.now)
	sign := func(k *ecdsa.PrivateKey, contract string, step int64) string {
		code, err := ledger.SignRotatingCode(k, contract, seat("2A"), step)
		mustOK(t, err, "SignRotatingCode")
		return code.Text()
	}
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for _, c := range []struct{ what, qr, reason string }{
		{"the static QR", `[{"seat":{"number":2,"letter":"A"},"secret":"` + secret + `"}]`, ledger.MsgStaticSecure},
		{"another phone's code", sign(other, e.address, step), ""},
		{"an expired code", sign(key, e.address, step-10), ledger.MsgCodeExpired},
		{"another contract's code", sign(key, "CUtNvY1Jxpn4V4RD1tgphsUKpQdo4q5i54", step), ledger.MsgOtherCode},
	} {
		res := dev.Verify(c.qr)
		wantStatus(t, c.what, res, ledger.StatusInvalid)
		if c.reason != "" && res[0].Reason != c.reason {
			t.Errorf("%s: reason %q, want %q", c.what, res[0].Reason, c.reason)
		}
	}
	res, adm := dev.Admit(sign(key, e.address, step), "east", "")
	wantStatus(t, "the current code", res, ledger.StatusAdmitted)
	e.now = e.now.Add(time.Minute)
	again, _ := dev.Admit(sign(key, e.address, ledger.RotatingStepAt(e.now)), "east", "")
	wantStatus(t, "the next code", again, ledger.StatusAlreadyCheckedIn)
	if len(adm.Seats) != 1 || adm.Seats[0] != seat("2A") {
		t.Errorf("admission %+v", adm)
	}
}

// securePhone sells seat 2A as a SECURE ticket of a booking with the secret, registers
// a phone for it in the customer's wallet, and returns the phone's private key.
func (e *saleEnv) securePhone(t testing.TB, secret string) *ecdsa.PrivateKey {
	t.Helper()
	cust, err := e.store.Customers.CreateCustomer(e.admin, ledger.Customer{FirstName: "Tom", LastName: "Tomson", Email: "tom@example.com"})
	mustOK(t, err, "CreateCustomer")
	bk, err := e.store.Bookings.OpenBooking(e.admin, ledger.BookingRequest{Contract: e.address, Customer: cust.ID, Format: ledger.FormatSecure})
	mustOK(t, err, "OpenBooking")
	_, err = e.store.Bookings.Hold(e.admin, bk.ID, ledger.HoldSeats("", seat("2A")))
	mustOK(t, err, "Hold")
	_, err = e.store.Bookings.Confirm(e.admin, bk.ID, ledger.Order{Sender: ledger.BookingSender(cust.ID),
		Tickets: []ledger.SealedTicket{{Seat: seat("2A"), SecretCiphertext: []byte(secret), SecretDigest: crypto.SecretDigest(secret)}}})
	mustOK(t, err, "Confirm")
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	pub, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	token, err := e.store.Wallets.OpenLink(e.admin, cust.ID, nil)
	mustOK(t, err, "OpenLink")
	_, err = e.store.Devices.RegisterDevice(context.Background(), ledger.DeviceRequest{Token: token,
		Ticket: ledger.TicketID{Contract: e.address, Sale: 1, Index: 1}, PublicKey: pub})
	mustOK(t, err, "RegisterDevice")
	return key
}

func mustOK(tb testing.TB, err error, what string) {
	tb.Helper()
	if err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}
