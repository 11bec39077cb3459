package ledger_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestValidateIdempotencyKey(t *testing.T) {
	for key, ok := range map[string]bool{
		"5f0c6a3e-8a54-4d0e-9a55-1f7b2b7c7f11": true, strings.Repeat("k", 255): true, "Bestellung 17 für Anna": true,
		"": false, strings.Repeat("k", 256): false, "a\tb": false, "a\x00b": false, "a\x7fb": false, "a\xffb": false, "a\u0085b": false,
	} {
		if err := ledger.ValidateIdempotencyKey(key); (err == nil) != ok {
			t.Errorf("ValidateIdempotencyKey(%q) = %v, want ok %v", key, err, ok)
		} else if err != nil && (ledger.ErrorCode(err) != ledger.EINVALID || strings.Contains(ledger.ErrorMessage(err), key[min(len(key), 1):])) && key != "" {
			t.Errorf("ValidateIdempotencyKey(%q) = %v: want EINVALID that does not quote the key", key, err)
		}
	}
}

func FuzzValidateIdempotencyKey(f *testing.F) {
	f.Add("order-17")
	f.Add("a\tb")
	f.Fuzz(func(t *testing.T, key string) {
		err := ledger.ValidateIdempotencyKey(key)
		clean := key != "" && len(key) <= ledger.MaxIdempotencyKey && utf8.ValidString(key) &&
			strings.IndexFunc(key, unicode.IsControl) < 0 && !strings.ContainsRune(key, utf8.RuneError)
		if (err == nil) != clean {
			t.Fatalf("ValidateIdempotencyKey(%q) = %v, want ok %v", key, err, clean)
		}
	})
}
