package crypto

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Sizes of secrets, keys and IVs.
const (
	SecretLength = 15 // characters of a ticket secret
	KeySize      = 32 // AES-256 key bytes
	IVSize       = 16 // CBC IV bytes
)

// SecretAlphabet is the URL-safe alphabet of secrets and API keys: A-Z a-z 0-9 - _. It has
// 64 symbols, so the low six bits of a random byte pick one without modulo bias.
const SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// APIKeyPrefix starts every API key, so a leaked key is recognisable in logs and scans.
const APIKeyPrefix = "tbk_"

// apiKeyLength is the number of random characters after APIKeyPrefix (192 bits).
const apiKeyLength = 32

// NewSecret returns a fresh ticket secret: SecretLength characters of SecretAlphabet drawn
// uniformly from crypto/rand. It fails, wrapping ErrRandom, only when the system's random
// source does.
func NewSecret() (string, error) {
	return randomText(SecretLength)
}

// NewKey returns KeySize fresh random bytes for an AES-256 key, or an error wrapping
// ErrRandom.
func NewKey() ([]byte, error) {
	return randomBytes(KeySize)
}

// NewIV returns IVSize fresh random bytes for a CBC IV, or an error wrapping ErrRandom.
func NewIV() ([]byte, error) {
	return randomBytes(IVSize)
}

// NewAPIKey returns a fresh API key for an organizer, box office or scanner: APIKeyPrefix
// followed by 32 characters of SecretAlphabet from crypto/rand. Store only HashAPIKey of
// it. It fails, wrapping ErrRandom, only when the random source does.
func NewAPIKey() (string, error) {
	text, err := randomText(apiKeyLength)
	if err != nil {
		return "", err
	}
	return APIKeyPrefix + text, nil
}

// HashAPIKey returns the lower-case hex SHA-256 of an API key, the form in which keys are
// stored and looked up. API keys are high-entropy, so a fast unsalted hash is enough.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// randomText returns n characters of SecretAlphabet, each from the low six bits of a
// random byte.
func randomText(n int) (string, error) {
	b, err := randomBytes(n)
	if err != nil {
		return "", err
	}
	for i := range b {
		b[i] = SecretAlphabet[b[i]&63]
	}
	return string(b), nil
}

func randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrRandom, err)
	}
	return b, nil
}
