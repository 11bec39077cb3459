package offline_test

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// BenchmarkVerify decides one ticket from a device's copy, as `ticketbooth scan` does
// offline: a plain ticket's QR (parse, SHA3-224 of the secret, the digest compared), a
// named ticket's under the identity policy (also AES-CBC of the name and its HMAC),
// each sold on a real store and copied from it. The target is under 0.2 ms a
// ticket (README, "Sync"). Rotating codes add an ECDSA P-256 verification: see
// BenchmarkVerifyRotating.
//
//	go test ./scanner/offline -run X -bench Verify -benchtime 2000x
func BenchmarkVerify(b *testing.B) {
	for _, named := range []bool{false, true} {
		e := newSaleEnvNamed(b, named)
		name := ""
		if named {
			name = "Ann Example"
		}
		qr := e.sell(b, name, seat("1A"))[0]
		dev := e.device(b)
		b.Run(map[bool]string{false: "plain", true: "named"}[named], func(b *testing.B) {
			for b.Loop() {
				if res := dev.Verify(qr); res[0].Status != ledger.StatusValid {
					b.Fatalf("Verify: %+v", res)
				}
			}
		})
	}
}

// BenchmarkVerifyRotating decides a SECURE ticket's rotating code from the copy: the
// code parsed, the phone's key read, the ECDSA P-256 signature verified, the step
// checked.
func BenchmarkVerifyRotating(b *testing.B) {
	e := newSaleEnv(b)
	key := e.securePhone(b, "Ab3dEf6hIj9kLm0")
	dev := e.device(b)
	code, err := ledger.SignRotatingCode(key, e.address, seat("2A"), ledger.RotatingStepAt(e.now))
	mustOK(b, err, "SignRotatingCode")
	for b.Loop() {
		if res := dev.Verify(code.Text()); res[0].Status != ledger.StatusValid {
			b.Fatalf("Verify: %+v", res)
		}
	}
}
