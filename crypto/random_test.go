package crypto

import (
	"bytes"
	"strings"
	"testing"
)

func TestSecretAlphabet(t *testing.T) {
	if len(SecretAlphabet) != 64 {
		t.Fatalf("alphabet has %d symbols, want 64", len(SecretAlphabet))
	}
	for c := byte(0); c < 128; c++ {
		want := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		wantCount := 0
		if want {
			wantCount = 1
		}
		if got := strings.Count(SecretAlphabet, string(c)); got != wantCount {
			t.Fatalf("%q appears %d times in the alphabet, want %d", c, got, wantCount)
		}
	}
}

// TestNewSecret draws 10,000 secrets: all must have the right length and alphabet, all
// must differ, and every symbol must appear (each is expected about 2,300 times).
func TestNewSecret(t *testing.T) {
	const n = 10000
	seen := make(map[string]bool, n)
	var counts [256]int
	for range n {
		s, err := NewSecret()
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != SecretLength {
			t.Fatalf("secret %q has %d characters, want %d", s, len(s), SecretLength)
		}
		if seen[s] {
			t.Fatalf("secret %q drawn twice", s)
		}
		seen[s] = true
		for i := 0; i < len(s); i++ {
			counts[s[i]]++
		}
	}
	total := 0
	for i := range counts {
		c := byte(i)
		inAlphabet := strings.IndexByte(SecretAlphabet, c) >= 0
		if inAlphabet && counts[c] == 0 {
			t.Errorf("symbol %q never appeared", c)
		}
		if !inAlphabet && counts[c] != 0 {
			t.Errorf("%q is not in the alphabet but appeared %d times", c, counts[c])
		}
		total += counts[i]
	}
	if total != n*SecretLength {
		t.Fatalf("counted %d characters, want %d", total, n*SecretLength)
	}
}

func TestNewKeyAndIV(t *testing.T) {
	k1, k2 := mustKey(t), mustKey(t)
	if len(k1) != KeySize || bytes.Equal(k1, k2) {
		t.Fatalf("keys %x and %x: want two different %d-byte keys", k1, k2, KeySize)
	}
	iv1, iv2 := mustIV(t), mustIV(t)
	if len(iv1) != IVSize || bytes.Equal(iv1, iv2) {
		t.Fatalf("IVs %x and %x: want two different %d-byte IVs", iv1, iv2, IVSize)
	}
}

func TestNewAPIKey(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		key, err := NewAPIKey()
		if err != nil {
			t.Fatal(err)
		}
		rest, ok := strings.CutPrefix(key, "tbk_")
		if !ok || len(rest) != 32 || strings.Trim(rest, SecretAlphabet) != "" {
			t.Fatalf("key %q: want tbk_ and 32 characters of the secret alphabet", key)
		}
		if seen[key] {
			t.Fatalf("key %q drawn twice", key)
		}
		seen[key] = true
		if h := HashAPIKey(key); len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
			t.Fatalf("HashAPIKey = %q, want 64 lower-case hex", h)
		}
	}
}

func BenchmarkNewSecret(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewSecret(); err != nil {
			b.Fatal(err)
		}
	}
}
