package demo

import (
	"crypto/aes"
	"encoding/json"
	"fmt"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/internal/forge"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// forgedSecret is the secret a forger picks: 15 characters of the secret alphabet.
const forgedSecret = "F0rgedByAnyone0"

// forgeQR builds the QR a forger can make for a sold seat from the public ticket list:
// with CBC, any key K decrypts the one-block ciphertext C to X = AES-Dec_K(C), so the IV
// X xor (secret || 0x01) makes C decrypt, with valid padding, to any secret. A scanner
// that trusts keys from the QR (Ticketbooth rc2) admits it; ours checks the digest.
func forgeQR(tickets []ledger.Ticket, seat ledger.Seat) (string, error) {
	var ct []byte
	for _, t := range tickets {
		if t.Seat == seat && t.Address != ledger.ZeroAddress {
			ct, _ = crypto.DecodeHex(t.Secret, 0)
		}
	}
	if len(ct) != aes.BlockSize {
		return "", fmt.Errorf("seat %s is not sold with a one-block ciphertext", seat)
	}
	key, iv, err := forge.Keys(ct, forgedSecret)
	if err != nil {
		return "", err
	}
	q := []ledger.QRTicket{{Seat: seat, Secret: forgedSecret, SecretKey: crypto.EncodeHex(key), SecretIV: crypto.EncodeHex(iv)}}
	b, err := json.Marshal(q)
	return string(b), err
}
