package crypto

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/subtle"
)

// SecretDigest returns the SHA3-224 digest of a ticket secret (28 bytes), as Ticketbooth
// v1.0 stored it. A secret has 90 random bits, so its digest is safe to publish.
func SecretDigest(secret string) []byte {
	sum := sha3.Sum224([]byte(secret))
	return sum[:]
}

// NameDigest returns HMAC-SHA256 of the purchaser's name keyed by the name's encryption
// key (32 bytes). Stored at purchase, it binds the name shown at the gate to that purchase:
// a QR with another key or IV cannot make a different name match. Unlike a bare hash it
// does not reveal a guessable name to whoever reads the ledger.
func NameDigest(nameKey []byte, name string) []byte {
	mac := hmac.New(sha256.New, nameKey)
	mac.Write([]byte(name))
	return mac.Sum(nil)
}

// Equal reports whether a and b are equal, in time that depends only on their lengths.
// Slices of different lengths are never equal.
func Equal(a, b []byte) bool {
	return subtle.ConstantTimeCompare(a, b) == 1
}
