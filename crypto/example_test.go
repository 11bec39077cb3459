package crypto_test

import (
	"fmt"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/crypto"
)

// A ticket's secret is sealed under its own key and IV (AES-256-CBC with PKCS#7 padding);
// the QR carries the key and IV as hex, and the gate opens the ciphertext with them.
func ExampleEncrypt() {
	key := []byte(strings.Repeat("k", crypto.KeySize))
	iv := []byte(strings.Repeat("i", crypto.IVSize))
	ct, err := crypto.Encrypt(key, iv, []byte("Ab3dEf6hIj9kLm0"))
	fmt.Println(crypto.EncodeHex(ct), err) // as openssl enc -aes-256-cbc writes it
	plain, err := crypto.Decrypt(key, iv, ct)
	fmt.Printf("%s %v\n", plain, err)
	// Output:
	// acd36a007726327fc8d5ee4c9891530b <nil>
	// Ab3dEf6hIj9kLm0 <nil>
}

// The ledger keeps only the secret's SHA3-224 digest (as Python's hashlib.sha3_224 gives
// it), safe to publish, and compares digests in constant time.
func ExampleSecretDigest() {
	d := crypto.SecretDigest("Ab3dEf6hIj9kLm0")
	fmt.Println(len(d), crypto.EncodeHex(d)[:16]+"…")
	fmt.Println(crypto.Equal(d, crypto.SecretDigest("Ab3dEf6hIj9kLm0")), crypto.Equal(d, crypto.SecretDigest("another secret!")))
	// Output:
	// 28 d71ce58ea1ff48de…
	// true false
}

// Keys and IVs travel as lower-case hex of a fixed size; anything else is refused with a
// sentence.
func ExampleDecodeHex() {
	key, err := crypto.DecodeHex(strings.Repeat("0f", crypto.KeySize), crypto.KeySize)
	fmt.Println(len(key), err)
	_, err = crypto.DecodeHex("0f0f", crypto.KeySize)
	fmt.Println(err != nil)
	// Output:
	// 32 <nil>
	// true
}

// Fresh secrets are SecretLength characters of SecretAlphabet.
func ExampleNewSecret() {
	s, err := crypto.NewSecret()
	fmt.Println(len(s) == crypto.SecretLength, strings.Trim(s, crypto.SecretAlphabet) == "", err)
	// Output:
	// true true <nil>
}
