package sqlstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
)

// A queued mail's message holds what a ticket's QR holds (the PDF, the passes), so the
// database keeps it only sealed: AES-256-GCM under a key derived (HKDF-SHA256, its own
// label) from the delivery key, which lives outside the database (Options.DeliveryKey).
// The mail's key is the additional data: a sealed message moved to another row does not
// open. Once sent, the sealed message is deleted.

const labelMailSeal = "ticketbooth mail queue message v1"

// DeliveryKeySize is the size of the delivery key, in bytes.
const DeliveryKeySize = 32

// mailSealer seals and opens queued messages.
type mailSealer struct{ aead cipher.AEAD }

// newMailSealer derives the queue's key from the delivery key.
func newMailSealer(deliveryKey []byte) (*mailSealer, error) {
	if len(deliveryKey) != DeliveryKeySize {
		return nil, errors.New("the delivery key must be 32 bytes")
	}
	k, err := hkdf.Key(sha256.New, deliveryKey, nil, labelMailSeal, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &mailSealer{aead: aead}, nil
}

// seal returns the nonce followed by the ciphertext of msg.
func (m *mailSealer) seal(key string, msg []byte) ([]byte, error) {
	nonce := make([]byte, m.aead.NonceSize(), m.aead.NonceSize()+len(msg)+m.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return m.aead.Seal(nonce, nonce, msg, []byte(key)), nil
}

// open returns the message sealed for key.
func (m *mailSealer) open(key string, sealed []byte) ([]byte, error) {
	n := m.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed message too short")
	}
	return m.aead.Open(nil, sealed[:n], sealed[n:], []byte(key))
}
