package crypto

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// The expected values below were computed independently with Python's hashlib and hmac:
//
//	python3 -c "import hashlib;print(hashlib.sha3_224(b'USfoUzEvP1wf04I').hexdigest())"
//	python3 -c "import hashlib,hmac;print(hmac.new(bytes.fromhex('4d38...502d'),b'Ada Lovelace',hashlib.sha256).hexdigest())"
//	python3 -c "import hashlib;print(hashlib.sha256(b'tbk_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef').hexdigest())"

func TestSecretDigest(t *testing.T) {
	tests := []struct{ secret, want string }{
		{"USfoUzEvP1wf04I", "3281bb7aaf48358cc8d51905b7490001b4b55af248f2a77754a93ebd"},
		{"", "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(SecretDigest(tt.secret)); got != tt.want {
			t.Errorf("SecretDigest(%q) = %s, want %s", tt.secret, got, tt.want)
		}
	}
}

func TestNameDigest(t *testing.T) {
	key := mustHex(t, "4d38a395594a93e64783744eae669478de1a60be372ed24fdd42a82182eb502d")
	want := "8a6982aa50d90ce17a066f2b07b1cef13a36c3b7e5bb6c02cc8cba74b07b5f0d"
	if got := hex.EncodeToString(NameDigest(key, "Ada Lovelace")); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	other := bytes.Clone(key)
	other[0] ^= 1
	if bytes.Equal(NameDigest(other, "Ada Lovelace"), NameDigest(key, "Ada Lovelace")) {
		t.Fatal("a different key gave the same name digest")
	}
	if bytes.Equal(NameDigest(key, "Ada Lovelace "), NameDigest(key, "Ada Lovelace")) {
		t.Fatal("a different name gave the same name digest")
	}
}

func TestHashAPIKey(t *testing.T) {
	want := "e386285d12378f7af59b1984e9d00bb6b1dfb20f52c039ff58f1077aa5888b5c"
	if got := HashAPIKey("tbk_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"); got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestEqual(t *testing.T) {
	tests := []struct {
		name string
		a, b []byte
		want bool
	}{
		{"Same", []byte("abc"), []byte("abc"), true},
		{"BothEmpty", nil, []byte{}, true},
		{"Differ", []byte("abc"), []byte("abd"), false},
		{"Prefix", []byte("ab"), []byte("abc"), false},
		{"OneEmpty", nil, []byte{0}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Equal(tt.a, tt.b); got != tt.want {
				t.Fatalf("Equal(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
