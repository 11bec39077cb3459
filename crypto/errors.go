package crypto

import "errors"

// Sentinel errors. Returned errors wrap one of them with details, so test with errors.Is.
var (
	// ErrKeySize means a key was not KeySize bytes long.
	ErrKeySize = errors.New("crypto: key must be 32 bytes")
	// ErrIVSize means an IV was not IVSize bytes long.
	ErrIVSize = errors.New("crypto: IV must be 16 bytes")
	// ErrCiphertext means a ciphertext was empty or not a whole number of AES blocks.
	ErrCiphertext = errors.New("crypto: ciphertext must be a non-empty multiple of 16 bytes")
	// ErrPadding means a decrypted text did not end in valid PKCS#7 padding: a wrong key or
	// IV, or a damaged ciphertext.
	ErrPadding = errors.New("crypto: bad padding (wrong key or IV, or damaged ciphertext)")
	// ErrHex means a hex string was malformed or of the wrong length.
	ErrHex = errors.New("crypto: bad hex")
	// ErrRandom means the system's random source failed.
	ErrRandom = errors.New("crypto: random source failed")
)
