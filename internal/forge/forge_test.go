package forge

import (
	"testing"

	"github.com/ticketbooth-go/ticketbooth/crypto"
)

func TestKeysOpenAPublishedCiphertextToAnyText(t *testing.T) {
	key, _ := crypto.NewKey()
	iv, _ := crypto.NewIV()
	ct, err := crypto.Encrypt(key, iv, []byte("RealSecret12345"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"F0rgedByAnyone0", "Mallory", ""} {
		k, v, err := Keys(ct, want)
		if err != nil {
			t.Fatalf("Keys(%q): %v", want, err)
		}
		if got, err := crypto.Decrypt(k, v, ct); err != nil || string(got) != want {
			t.Errorf("forged keys decrypt to %q (%v), want %q", got, err, want)
		}
	}
	if _, err := IV(key, append(ct, ct...), "x"); err == nil {
		t.Error("IV accepted a two-block ciphertext")
	}
}
