package ledger_test

import (
	"bytes"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/internal/forge"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// sealedTicket is a ticket sealed the way the issuer seals one, with both halves: what
// the ledger stores and what the QR carries.
type sealedTicket struct {
	stored ledger.StoredTicket
	qr     ledger.QRTicket
}

// mustRandom returns fresh key material or fails.
func mustRandom(tb testing.TB, f func() ([]byte, error)) []byte {
	tb.Helper()
	b, err := f()
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// mustEncrypt encrypts plaintext under a fresh key and IV.
func mustEncrypt(tb testing.TB, plaintext string) (ct, key, iv []byte) {
	tb.Helper()
	key, iv = mustRandom(tb, crypto.NewKey), mustRandom(tb, crypto.NewIV)
	ct, err := crypto.Encrypt(key, iv, []byte(plaintext))
	if err != nil {
		tb.Fatal(err)
	}
	return ct, key, iv
}

// sealTicket seals a fresh secret for seat 1A and, when name is not empty, the
// purchaser's name with its own key and IV and its keyed digest.
func sealTicket(tb testing.TB, name string) sealedTicket {
	tb.Helper()
	secret, err := crypto.NewSecret()
	if err != nil {
		tb.Fatal(err)
	}
	ct, key, iv := mustEncrypt(tb, secret)
	s := sealedTicket{
		stored: ledger.StoredTicket{SecretCiphertext: ct, SecretDigest: crypto.SecretDigest(secret)},
		qr: ledger.QRTicket{Seat: ledger.Seat{Number: 1, Letter: "A"}, Secret: secret,
			SecretKey: crypto.EncodeHex(key), SecretIV: crypto.EncodeHex(iv)},
	}
	if name != "" {
		nct, nkey, niv := mustEncrypt(tb, name)
		s.stored.NameCiphertext, s.stored.NameDigest = nct, crypto.NameDigest(nkey, name)
		s.qr.NameKey, s.qr.NameIV = crypto.EncodeHex(nkey), crypto.EncodeHex(niv)
	}
	return s
}

// forgeIV returns the IV that makes the one-block ciphertext ct decrypt under key to
// want (at most 15 bytes, so its PKCS#7 padding fits the block): the CBC trick anyone can
// play on the public ticket list.
func forgeIV(tb testing.TB, key, ct []byte, want string) []byte {
	tb.Helper()
	iv, err := forge.IV(key, ct, want)
	if err != nil {
		tb.Fatal(err)
	}
	return iv
}

// forgeKeys picks a fresh key and the IV that make ct decrypt to want, and checks that
// they really do, so a rejection below is the verifier's doing and not a broken forgery.
func forgeKeys(tb testing.TB, ct []byte, want string) (keyHex, ivHex string) {
	tb.Helper()
	key := mustRandom(tb, crypto.NewKey)
	iv := forgeIV(tb, key, ct, want)
	got, err := crypto.Decrypt(key, iv, ct)
	if err != nil || string(got) != want {
		tb.Fatalf("forged key and IV decrypt to %q (%v), want %q", got, err, want)
	}
	return crypto.EncodeHex(key), crypto.EncodeHex(iv)
}

func TestVerifyTicketGenuine(t *testing.T) {
	unnamed := sealTicket(t, "")
	named := sealTicket(t, "Zoë Ødegård")
	v10 := unnamed.qr
	v10.SecretKey, v10.SecretIV = "", ""
	upper := named.qr
	upper.SecretKey, upper.NameIV = toUpper(upper.SecretKey), toUpper(upper.NameIV)
	// Name keys on a ticket sold without a name are ignored: there is no name to show.
	extraNameKeys := unnamed.qr
	extraNameKeys.NameKey, extraNameKeys.NameIV = named.qr.NameKey, named.qr.NameIV
	tests := []struct {
		name     string
		qr       ledger.QRTicket
		stored   ledger.StoredTicket
		wantName string
	}{
		{"WithSecretKeys", unnamed.qr, unnamed.stored, ""},
		{"V10WithoutSecretKeys", v10, unnamed.stored, ""},
		{"Named", named.qr, named.stored, "Zoë Ødegård"},
		{"UpperCaseHex", upper, named.stored, "Zoë Ødegård"},
		{"NameKeysOnUnnamedTicket", extraNameKeys, unnamed.stored, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, reason, name := ledger.VerifyTicket(tt.qr, tt.stored)
			if status != "" || reason != "" || name != tt.wantName {
				t.Errorf("VerifyTicket = (%q, %q, %q), want genuine with name %q", status, reason, name, tt.wantName)
			}
		})
	}
}

func toUpper(s string) string { return string(bytes.ToUpper([]byte(s))) }

func TestVerifyTicketInvalid(t *testing.T) {
	plain := sealTicket(t, "")
	named := sealTicket(t, "Alice Smith")
	other := sealTicket(t, "Alice Smith") // another purchase of the same name
	tests := []struct {
		name   string
		ticket sealedTicket
		edit   func(*ledger.QRTicket, *ledger.StoredTicket)
	}{
		{"SecretDigestMismatch", plain, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.Secret = otherSecret(t, q.Secret) }},
		{"SecretDigestMismatchV10", plain, func(q *ledger.QRTicket, _ *ledger.StoredTicket) {
			q.Secret, q.SecretKey, q.SecretIV = otherSecret(t, q.Secret), "", ""
		}},
		{"NoStoredDigest", plain, func(_ *ledger.QRTicket, st *ledger.StoredTicket) { st.SecretDigest = nil }},
		{"SecretOfAnotherTicket", plain, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.Secret = named.qr.Secret }},
		{"KeyDoesNotOpen", plain, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.SecretKey = named.qr.SecretKey }},
		{"IVDoesNotOpen", plain, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.SecretIV = named.qr.SecretIV }},
		{"KeyWithoutIV", plain, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.SecretIV = "" }},
		{"IVWithoutKey", plain, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.SecretKey = "" }},
		{"KeyNotHex", plain, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.SecretKey = "zz" + q.SecretKey[2:] }},
		{"KeyTooShort", plain, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.SecretKey = q.SecretKey[:62] }},
		{"ForgedFromCiphertext", plain, func(q *ledger.QRTicket, st *ledger.StoredTicket) {
			q.Secret = "forgedSecret123"
			q.SecretKey, q.SecretIV = forgeKeys(t, st.SecretCiphertext, q.Secret)
		}},
		{"NameKeyMissing", named, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.NameKey, q.NameIV = "", "" }},
		{"NameIVMissing", named, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.NameIV = "" }},
		{"NameKeyNotOpening", named, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.NameKey = plain.qr.SecretKey }},
		{"NameKeyNotHex", named, func(q *ledger.QRTicket, _ *ledger.StoredTicket) { q.NameKey = "g" + q.NameKey[1:] }},
		{"NameIVAlteredToMallory", named, func(q *ledger.QRTicket, st *ledger.StoredTicket) {
			key, _ := crypto.DecodeHex(q.NameKey, crypto.KeySize)
			iv := forgeIV(t, key, st.NameCiphertext, "Mallory")
			if got, err := crypto.Decrypt(key, iv, st.NameCiphertext); err != nil || string(got) != "Mallory" {
				t.Fatalf("altered IV decrypts to %q (%v)", got, err)
			}
			q.NameIV = crypto.EncodeHex(iv)
		}},
		{"NameKeysForgedToMallory", named, func(q *ledger.QRTicket, st *ledger.StoredTicket) {
			q.NameKey, q.NameIV = forgeKeys(t, st.NameCiphertext, "Mallory")
		}},
		{"NameKeysOfAnotherPurchase", named, func(q *ledger.QRTicket, st *ledger.StoredTicket) {
			// The same name under another purchase's keys: its ciphertext is not this one.
			q.NameKey, q.NameIV = other.qr.NameKey, other.qr.NameIV
		}},
		{"NameDigestMismatch", named, func(_ *ledger.QRTicket, st *ledger.StoredTicket) { st.NameDigest = other.stored.NameDigest }},
		{"NameDigestMissing", named, func(_ *ledger.QRTicket, st *ledger.StoredTicket) { st.NameDigest = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, st := tt.ticket.qr, cloneStored(tt.ticket.stored)
			tt.edit(&q, &st)
			status, reason, name := ledger.VerifyTicket(q, st)
			if status != ledger.StatusInvalid {
				t.Fatalf("VerifyTicket status %q, want %q", status, ledger.StatusInvalid)
			}
			checkSentence(t, reason)
			if name != "" {
				t.Errorf("an invalid ticket shows the name %q", name)
			}
			for _, leak := range []string{q.Secret, q.SecretKey, q.NameKey} {
				if leak != "" && bytes.Contains([]byte(reason), []byte(leak)) {
					t.Errorf("reason %q repeats a secret or key", reason)
				}
			}
		})
	}
}

// TestVerifyTicketOriginalUnchanged checks the genuine tickets the invalid table starts
// from really pass, so each rejection there comes from its one edit.
func TestVerifyTicketOriginalUnchanged(t *testing.T) {
	for _, name := range []string{"", "Alice Smith"} {
		s := sealTicket(t, name)
		if status, reason, got := ledger.VerifyTicket(s.qr, s.stored); status != "" || got != name {
			t.Errorf("genuine ticket named %q: (%q, %q, %q)", name, status, reason, got)
		}
	}
}

// otherSecret returns a valid secret that is not s.
func otherSecret(tb testing.TB, s string) string {
	tb.Helper()
	for {
		o, err := crypto.NewSecret()
		if err != nil {
			tb.Fatal(err)
		}
		if o != s {
			return o
		}
	}
}

func cloneStored(st ledger.StoredTicket) ledger.StoredTicket {
	return ledger.StoredTicket{SecretCiphertext: bytes.Clone(st.SecretCiphertext), SecretDigest: bytes.Clone(st.SecretDigest),
		NameCiphertext: bytes.Clone(st.NameCiphertext), NameDigest: bytes.Clone(st.NameDigest)}
}
