package ledger_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// deviceKey makes a P-256 key pair as the wallet page does, and its public key as SPKI DER.
func deviceKey(tb testing.TB) (*ecdsa.PrivateKey, []byte) {
	tb.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		tb.Fatal(err)
	}
	return k, der
}

func testAddress(tb testing.TB) string {
	tb.Helper()
	a, err := ledger.NewAddress()
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestRotatingCodeRoundTrip(t *testing.T) {
	key, spki := deviceKey(t)
	addr := testAddress(t)
	for _, seat := range []ledger.Seat{{Number: 1, Letter: "A"}, {Number: 12}, {Letter: "C"},
		{Section: "North Upper", Number: 250, Letter: "AE"}, {Section: "Parkett. Links~ 100%", Number: 3}, {Section: "Ränge", Number: 7}} {
		c, err := ledger.SignRotatingCode(key, addr, seat, 140000000)
		if err != nil {
			t.Fatal(err)
		}
		text := c.Text()
		if strings.Count(text, ".") != 4 || !ledger.IsRotatingCode(text) {
			t.Fatalf("code %q: want four dots and the prefix", text)
		}
		got, err := ledger.ParseRotatingCode(" " + text + "\n")
		if err != nil {
			t.Fatalf("ParseRotatingCode(%q): %v", text, err)
		}
		if got.Contract != addr || got.Seat != seat || got.Step != 140000000 || got.Text() != text {
			t.Fatalf("parsed %+v from %q", got, text)
		}
		now := time.Unix(140000000*15, 0)
		if why := ledger.VerifyRotatingCode(got, spki, now); why != "" {
			t.Fatalf("a fresh code of seat %s is refused: %s", seat, why)
		}
	}
}

// TestRotatingWindow: a code is accepted within two steps of the gate's clock either side,
// and refused in words beyond.
func TestRotatingWindow(t *testing.T) {
	key, spki := deviceKey(t)
	addr := testAddress(t)
	const step = 140000000
	c, err := ledger.SignRotatingCode(key, addr, ledger.Seat{Number: 1, Letter: "A"}, step)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Unix(step*15, 0), ""},
		{time.Unix((step+2)*15+14, 0), ""}, // the last second of the second step after
		{time.Unix((step+3)*15, 0), ledger.MsgCodeExpired},
		{time.Unix((step-2)*15, 0), ""},
		{time.Unix((step-2)*15-1, 0), "future"},
	} {
		why := ledger.VerifyRotatingCode(c, spki, tc.at)
		if tc.want == "" && why != "" || tc.want != "" && !strings.Contains(why, tc.want) {
			t.Errorf("at step %d+%ds: %q, want %q", ledger.RotatingStepAt(tc.at), tc.at.Unix()%15, why, tc.want)
		}
	}
}

func TestRotatingWrongKeyOrText(t *testing.T) {
	key, spki := deviceKey(t)
	_, otherSPKI := deviceKey(t)
	addr := testAddress(t)
	seat := ledger.Seat{Number: 2, Letter: "B"}
	c, err := ledger.SignRotatingCode(key, addr, seat, 5)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(5*15, 0)
	if why := ledger.VerifyRotatingCode(c, otherSPKI, now); !strings.Contains(why, "not made by the phone") {
		t.Errorf("another device's key: %q", why)
	}
	// the signature of one seat does not carry over to another
	forged := c
	forged.Seat, forged.Signed = ledger.Seat{Number: 2, Letter: "C"}, ledger.RotatingSigned(addr, ledger.Seat{Number: 2, Letter: "C"}, 5)
	if why := ledger.VerifyRotatingCode(forged, spki, now); why == "" {
		t.Error("a signature moved to another seat is accepted")
	}
	// nor to another step
	later := c
	later.Step, later.Signed = 6, ledger.RotatingSigned(addr, seat, 6)
	if why := ledger.VerifyRotatingCode(later, spki, now); why == "" {
		t.Error("a signature moved to another step is accepted")
	}
}

func TestParseRotatingCodeRefuses(t *testing.T) {
	key, _ := deviceKey(t)
	addr := testAddress(t)
	c, err := ledger.SignRotatingCode(key, addr, ledger.Seat{Section: "Stalls", Number: 1, Letter: "A"}, 77)
	if err != nil {
		t.Fatal(err)
	}
	good := c.Text()
	sig := good[strings.LastIndexByte(good, '.')+1:]
	for _, text := range []string{
		"", "TBR1.", "TBR2." + good[5:], good + ".x", strings.Replace(good, ".77.", ".077.", 1),
		strings.Replace(good, ".77.", ".-77.", 1), strings.Replace(good, ".77.", ".+77.", 1), strings.Replace(good, ".77.", "..", 1),
		strings.Replace(good, ".77.", ".1234567890123.", 1), strings.Replace(good, "Stalls/1A", "Stalls%2F1A", 1),
		strings.Replace(good, "Stalls/1A", "Stall%73/1A", 1), strings.Replace(good, "Stalls/1A", "Stalls/1A/", 1),
		strings.Replace(good, "Stalls/1A", "Stalls/0A", 1), strings.Replace(good, "Stalls/1A", "%", 1),
		strings.Replace(good, "Stalls/1A", "Stalls/1A%4", 1), strings.Replace(good, addr, "C1234", 1),
		good[:len(good)-1], good + "A", strings.Replace(good, sig, sig[:85]+"=", 1), strings.Replace(good, sig, strings.Repeat("+", 86), 1),
		good[:len(good)-86] + strings.Repeat("A", 85) + "B", // non-zero padding bits
		strings.Repeat("TBR1.", 200),
	} {
		if _, err := ledger.ParseRotatingCode(text); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("ParseRotatingCode(%.60q) = %v, want EINVALID", text, err)
		} else if strings.Contains(ledger.ErrorMessage(err), sig) {
			t.Errorf("the message repeats the signature: %v", err)
		}
	}
}

func TestParseDeviceKey(t *testing.T) {
	key, spki := deviceKey(t)
	raw, err := key.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range [][]byte{spki, raw} {
		_, der, err := ledger.ParseDeviceKey(in)
		if err != nil || string(der) != string(spki) {
			t.Fatalf("ParseDeviceKey(%d bytes) = %v", len(in), err)
		}
	}
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	der384, _ := x509.MarshalPKIXPublicKey(&p384.PublicKey)
	offCurve := append([]byte(nil), raw...)
	offCurve[64] ^= 1
	compressed := elliptic.MarshalCompressed(elliptic.P256(), key.X, key.Y)
	for name, in := range map[string][]byte{
		"empty": nil, "P-384": der384, "off the curve": offCurve, "compressed": compressed,
		"trailing byte": append(append([]byte(nil), spki...), 0), "cut short": spki[:len(spki)-1],
		"raw without its 04": raw[1:], "junk": []byte("not a key at all"),
	} {
		if _, _, err := ledger.ParseDeviceKey(in); ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("%s: ParseDeviceKey = %v, want EINVALID", name, err)
		}
	}
}

// FuzzParseRotatingCode: no text panics the parser, every refusal is EINVALID, and every
// code it accepts is written back to exactly the text it read (one spelling per code).
func FuzzParseRotatingCode(f *testing.F) {
	key, _ := deviceKey(f)
	addr := testAddress(f)
	for _, seat := range []ledger.Seat{{Number: 1, Letter: "A"}, {Section: "Ränge 2", Number: 7}} {
		c, err := ledger.SignRotatingCode(key, addr, seat, 140000000)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c.Text())
	}
	f.Add("TBR1.x.y.z.w")
	f.Add("TBR1.....")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := ledger.ParseRotatingCode(text)
		if err != nil {
			if ledger.ErrorCode(err) != ledger.EINVALID {
				t.Fatalf("ParseRotatingCode(%q): code %q", text, ledger.ErrorCode(err))
			}
			return
		}
		if c.Text() != strings.TrimSpace(text) || c.Signed != ledger.RotatingSigned(c.Contract, c.Seat, c.Step) {
			t.Fatalf("ParseRotatingCode(%q) = %+v, written back as %q", text, c, c.Text())
		}
	})
}

// BenchmarkVerifyRotatingCode: the signature and step check alone, the part of a rotating
// code's check-in that a static QR does not do (README, performance table).
func BenchmarkVerifyRotatingCode(b *testing.B) {
	key, spki := deviceKey(b)
	c, err := ledger.SignRotatingCode(key, testAddress(b), ledger.Seat{Number: 1, Letter: "A"}, 5)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Unix(5*15, 0)
	for b.Loop() {
		if why := ledger.VerifyRotatingCode(c, spki, now); why != "" {
			b.Fatal(why)
		}
	}
}

// FuzzParseDeviceKey: no bytes panic the key parser, every refusal is EINVALID, and an
// accepted key's canonical form parses again to itself.
func FuzzParseDeviceKey(f *testing.F) {
	key, spki := deviceKey(f)
	raw, err := key.PublicKey.Bytes()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(spki)
	f.Add(raw)
	f.Add([]byte{4})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, der, err := ledger.ParseDeviceKey(b)
		if err != nil {
			if ledger.ErrorCode(err) != ledger.EINVALID {
				t.Fatalf("ParseDeviceKey: code %q", ledger.ErrorCode(err))
			}
			return
		}
		if _, again, err := ledger.ParseDeviceKey(der); err != nil || string(again) != string(der) {
			t.Fatalf("the canonical form of an accepted key does not parse to itself: %v", err)
		}
	})
}
