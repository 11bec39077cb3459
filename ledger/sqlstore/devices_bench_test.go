package sqlstore_test

import (
	"context"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// BenchmarkCheckInRotating compares a check-in at the gate with a static QR (a PDF
// ticket's secret) and with a SECURE ticket's rotating code (the device key read, the
// digest compared, the ECDSA P-256 signature verified, the step checked), on one real
// database. Both verify only, so the same ticket serves every iteration; admitting is the
// same update and journal row for either. The difference per operation is what a
// rotating code adds to a check-in (README, "Rotating codes"); cpu-µs/op, the process's
// CPU time per check-in, is steadier than the wall time on a busy machine.
//
//	go test ./ledger/sqlstore -run X -bench CheckInRotating -benchtime 2000x -count 5
func BenchmarkCheckInRotating(b *testing.B) {
	e := openEnv(b)
	org := e.actor(b, ledger.RoleOrganizer, "promoter")
	c := e.create(b, org, "1A", "1B")
	_, err := e.store.Contracts.BeginSale(org, c.Address, flatPrices(parseSeats(b, "1A", "1B"), 10), e.details(b, 2000))
	mustNil(b, err, "BeginSale")
	cust, err := e.store.Customers.CreateCustomer(org, seedPerson())
	mustNil(b, err, "CreateCustomer")
	bk, err := e.store.Bookings.OpenBooking(org, ledger.BookingRequest{Contract: c.Address, Customer: cust.ID, Format: ledger.FormatSecure})
	mustNil(b, err, "OpenBooking")
	_, err = e.store.Bookings.Hold(org, bk.ID, ledger.HoldSeats("", parseSeats(b, "1B")...))
	mustNil(b, err, "Hold")
	_, err = e.store.Bookings.Confirm(org, bk.ID, ledger.Order{Sender: ledger.BookingSender(cust.ID),
		Tickets: []ledger.SealedTicket{{Seat: parseSeats(b, "1B")[0], SecretCiphertext: []byte(secretB), SecretDigest: crypto.SecretDigest(secretB)}}})
	mustNil(b, err, "Confirm")
	_, err = e.store.Selling.Reserve(org, c.Address, ledger.Order{Sender: "walk-in",
		Tickets: []ledger.SealedTicket{{Seat: parseSeats(b, "1A")[0], SecretCiphertext: []byte(secretA), SecretDigest: crypto.SecretDigest(secretA)}}})
	mustNil(b, err, "Reserve")
	key, pub := newDeviceKey(b)
	token, err := e.store.Wallets.OpenLink(org, cust.ID, nil)
	mustNil(b, err, "OpenLink")
	_, err = e.store.Devices.RegisterDevice(context.Background(), ledger.DeviceRequest{Token: token,
		Ticket: ledger.TicketID{Contract: c.Address, Sale: 1, Index: 1}, PublicKey: pub})
	mustNil(b, err, "RegisterDevice")
	code, err := ledger.SignRotatingCode(key, c.Address, parseSeats(b, "1B")[0], ledger.RotatingStepAt(e.clock.Now()))
	mustNil(b, err, "SignRotatingCode")
	for _, bc := range []struct {
		name string
		r    ledger.CheckInRequest
	}{
		{"static", ledger.CheckInRequest{VerifyOnly: true, Tickets: []ledger.QRTicket{{Seat: parseSeats(b, "1A")[0], Secret: secretA}}}},
		{"rotating", ledger.CheckInRequest{VerifyOnly: true, Code: &code}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			before := processCPU()
			for b.Loop() {
				res, err := e.store.Gate.CheckIn(org, c.Address, bc.r)
				if err != nil || res[0].Status != ledger.StatusValid {
					b.Fatalf("CheckIn: %+v, %v", res, err)
				}
			}
			b.ReportMetric(float64((processCPU()-before).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}
