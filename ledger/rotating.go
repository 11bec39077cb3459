package ledger

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Rotating codes (issue 13, item 3): a SECURE ticket whose holder registered a device key
// is shown in the wallet page as a code that changes every RotatingStep. Its text is
//
//	TBR1.<contract>.<seat>.<step>.<signature>
//
// where seat is the seat as Seat.String writes it with every byte outside A-Z a-z 0-9
// / - _ ~ written %XX (upper-case hex), step is the Unix time in seconds divided by 15
// (whole steps, decimal, no leading zeros), and signature is the device's ECDSA P-256
// signature over SHA-256 of the text before the last '.', as WebCrypto makes it (r||s,
// 64 bytes), in base64url without padding (86 characters). The device's private key
// never leaves the phone, so the server cannot make a code and a screenshot stops
// working after the window.
const (
	RotatingPrefix = "TBR1."
	RotatingStep   = 15 * time.Second
	// RotatingWindow is how many steps a code may lie before or after the gate's clock.
	RotatingWindow = 2
	// MaxRotatingCodeLen bounds a code's text: the longest seat, escaped, fits well within.
	MaxRotatingCodeLen = 512
	rotatingSigLen     = 64
)

// RotatingCode is a parsed rotating code. Signed is the text its signature covers.
type RotatingCode struct {
	Contract  string
	Seat      Seat
	Step      int64
	Signature []byte
	Signed    string
}

// IsRotatingCode reports whether QR text is meant as a rotating code (its prefix), so
// the gate parses it as one rather than as a static QR.
func IsRotatingCode(text string) bool {
	return strings.HasPrefix(strings.TrimSpace(text), RotatingPrefix)
}

// RotatingStepAt returns the time step of t: its Unix seconds divided by 15.
func RotatingStepAt(t time.Time) int64 {
	return t.Unix() / int64(RotatingStep/time.Second)
}

// RotatingSigned returns the text a device signs for the seat of the contract at step:
// everything of the code before the signature's '.'.
func RotatingSigned(contract string, seat Seat, step int64) string {
	return RotatingCodePrefix(contract, seat) + strconv.FormatInt(step, 10)
}

// RotatingCodePrefix is the start of every code of the seat, up to its step: what the
// wallet page adds the step and the signature to.
func RotatingCodePrefix(contract string, seat Seat) string {
	return RotatingPrefix + contract + "." + escapeSeat(seat.String()) + "."
}

// Text returns the code as a QR carries it.
func (c RotatingCode) Text() string {
	return c.Signed + "." + base64.RawURLEncoding.EncodeToString(c.Signature)
}

// ParseRotatingCode parses a rotating code strictly: the prefix, a well-formed contract
// address, a seat in its one escaped spelling, a step of 1 to 12 digits without a
// leading zero, and a signature of exactly 86 base64url characters (64 bytes). White
// space around the text is ignored. Anything else is EINVALID with the reason, which
// never repeats the signature. It never panics.
func ParseRotatingCode(text string) (RotatingCode, error) {
	text = strings.TrimSpace(text)
	if len(text) > MaxRotatingCodeLen {
		return RotatingCode{}, Errorf(EINVALID, "Rotating code is too long: %d bytes, at most %d", len(text), MaxRotatingCodeLen)
	}
	rest, ok := strings.CutPrefix(text, RotatingPrefix)
	parts := strings.Split(rest, ".")
	if !ok || len(parts) != 4 {
		return RotatingCode{}, Errorf(EINVALID, "Rotating code must read TBR1.<contract>.<seat>.<step>.<signature>")
	}
	var c RotatingCode
	var err error
	if err = ValidateAddress(parts[0]); err != nil {
		return c, Errorf(EINVALID, "Rotating code names no valid contract address")
	}
	if c.Seat, err = unescapeSeat(parts[1]); err != nil {
		return c, err
	}
	if c.Step, err = parseStep(parts[2]); err != nil {
		return c, err
	}
	if len(parts[3]) != 86 {
		return c, Errorf(EINVALID, "Rotating code's signature must be 86 base64url characters, got %d", len(parts[3]))
	}
	if c.Signature, err = base64.RawURLEncoding.Strict().DecodeString(parts[3]); err != nil {
		return c, Errorf(EINVALID, "Rotating code's signature is not base64url")
	}
	c.Contract, c.Signed = parts[0], text[:len(text)-len(parts[3])-1]
	return c, nil
}

// parseStep reads a step: decimal digits, no sign, no leading zero, at most 12.
func parseStep(s string) (int64, error) {
	if s == "" || len(s) > 12 || (s[0] == '0' && s != "0") || strings.Trim(s, "0123456789") != "" {
		return 0, Errorf(EINVALID, "Rotating code's time step must be a whole number of at most 12 digits")
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return n, nil
}

// seatByteOK reports whether b stands for itself in a code's seat.
func seatByteOK(b byte) bool {
	return b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || strings.IndexByte("/-_~", b) >= 0
}

func escapeSeat(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if seatByteOK(s[i]) {
			b.WriteByte(s[i])
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[s[i]>>4])
		b.WriteByte(hexDigits[s[i]&15])
	}
	return b.String()
}

// unescapeSeat reads a code's seat and accepts it only in its one spelling: what
// escapeSeat writes for the seat it parses to.
func unescapeSeat(s string) (Seat, error) {
	bad := Errorf(EINVALID, "Rotating code's seat is not written as the wallet writes it")
	var raw []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			raw = append(raw, s[i])
			continue
		}
		if i+2 >= len(s) {
			return Seat{}, bad
		}
		n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return Seat{}, bad
		}
		raw = append(raw, byte(n))
		i += 2
	}
	seat, err := ParseSeat(string(raw))
	if err != nil || escapeSeat(seat.String()) != s {
		return Seat{}, bad
	}
	return seat, nil
}

// ParseDeviceKey reads a device's public key as WebCrypto exports it: SubjectPublicKeyInfo
// DER ("spki") or the raw uncompressed point ("raw", 65 bytes), of an ECDSA key on P-256,
// and returns the key and its canonical form, the SPKI DER the ledger stores. Keys on
// other curves, points off the curve, compressed points and DER with trailing or
// non-canonical bytes are EINVALID.
func ParseDeviceKey(b []byte) (*ecdsa.PublicKey, []byte, error) {
	bad := Errorf(EINVALID, "Device key must be an ECDSA P-256 public key, as WebCrypto exports it (spki or raw)")
	var pub *ecdsa.PublicKey
	if len(b) == 65 && b[0] == 4 {
		k, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), b)
		if err != nil {
			return nil, nil, bad
		}
		pub = k
	} else {
		k, err := x509.ParsePKIXPublicKey(b)
		ek, ok := k.(*ecdsa.PublicKey)
		if err != nil || !ok || ek.Curve != elliptic.P256() {
			return nil, nil, bad
		}
		pub = ek
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil || (len(b) != 65 && string(der) != string(b)) {
		return nil, nil, bad
	}
	return pub, der, nil
}

// p256SPKIPrefix is how every SPKI DER of a P-256 key starts, before its 65-byte point.
var p256SPKIPrefix = []byte{0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
	0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00}

// storedDeviceKey reads a key as the ledger stores it (ParseDeviceKey's canonical SPKI)
// without the general DER parser, which the gate would otherwise run on every code.
func storedDeviceKey(spki []byte) (*ecdsa.PublicKey, error) {
	if len(spki) != len(p256SPKIPrefix)+65 || string(spki[:len(p256SPKIPrefix)]) != string(p256SPKIPrefix) {
		pub, _, err := ParseDeviceKey(spki)
		return pub, err
	}
	return ecdsa.ParseUncompressedPublicKey(elliptic.P256(), spki[len(p256SPKIPrefix):])
}

// VerifyRotatingCode checks the code's signature with the device key (SPKI DER, as
// ParseDeviceKey returns it) and its step against the gate's clock: it returns "" when
// the code is genuine and current, or the reason it is not, in words for the door.
func VerifyRotatingCode(c RotatingCode, deviceKey []byte, now time.Time) string {
	pub, err := storedDeviceKey(deviceKey)
	if err != nil || len(c.Signature) != rotatingSigLen {
		return "this code was not made by the phone registered for this ticket: show the live code in the wallet"
	}
	digest := sha256.Sum256([]byte(c.Signed))
	r := new(big.Int).SetBytes(c.Signature[:32])
	s := new(big.Int).SetBytes(c.Signature[32:])
	if !ecdsa.Verify(pub, digest[:], r, s) {
		return "this code was not made by the phone registered for this ticket: show the live code in the wallet"
	}
	switch step := RotatingStepAt(now); {
	case c.Step < step-RotatingWindow:
		return MsgCodeExpired
	case c.Step > step+RotatingWindow:
		return "this code is from the future: check the phone's clock, then show the live code in the wallet"
	}
	return ""
}

// The gate's reasons for rotating codes and SECURE tickets, for the door staff: the
// ledger's and a device deciding from its gate copy give the same.
const (
	MsgStaticSecure = "this ticket is shown as a live code in the holder's wallet: a printed or copied code no longer admits; show the code in the wallet"
	MsgNoDevice     = "no phone is registered for this ticket: open the ticket in the wallet to show its live code"
	MsgDeviceStale  = "this ticket was reissued or passed on since this phone was registered: show the live code in the wallet of the ticket's holder"
	MsgOtherCode    = "this code is for another event: check the ticket's event"
)

// MsgCodeExpired is the gate's reason for a rotating code older than the window (a
// screenshot, or a code replayed).
const MsgCodeExpired = "this code has expired: show the live code in the wallet"

// SignRotatingCode makes the code of the seat at step with the device's private key, as
// the wallet page does in the browser (for tests and tools: the ledger never holds a
// device's private key).
func SignRotatingCode(key *ecdsa.PrivateKey, contract string, seat Seat, step int64) (RotatingCode, error) {
	signed := RotatingSigned(contract, seat, step)
	digest := sha256.Sum256([]byte(signed))
	r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
	if err != nil {
		return RotatingCode{}, err
	}
	sig := make([]byte, rotatingSigLen)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return RotatingCode{Contract: contract, Seat: seat, Step: step, Signature: sig, Signed: signed}, nil
}
