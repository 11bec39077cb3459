package sqlstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// A wallet token is never stored. From it come two values:
//   - the link's name (token_hash): hex SHA-256 of the token's bytes;
//   - the key that seals the link's codes: HKDF-SHA256 of the token's bytes under a fixed
//     label.
// So the database alone can neither open a code nor make a token that finds a link; the
// holder of the link can.

const labelWalletCodes = "ticketbooth wallet codes v1"

// walletKeys are the values derived from one wallet token.
type walletKeys struct {
	hash string // the link's name
	aead cipher.AEAD
}

// newWalletToken returns a fresh token: WalletTokenBytes random bytes in unpadded base64url.
func newWalletToken() string {
	b := make([]byte, ledger.WalletTokenBytes)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// deriveWalletKeys checks the token and derives its values: ErrWalletToken for a
// malformed token.
func deriveWalletKeys(token string) (walletKeys, error) {
	raw, err := ledger.ParseWalletToken(token)
	if err != nil {
		return walletKeys{}, err
	}
	sum := sha256.Sum256(raw)
	key, err := hkdf.Key(sha256.New, raw, nil, labelWalletCodes, 32)
	if err != nil {
		return walletKeys{}, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return walletKeys{}, err
	}
	aead, err := cipher.NewGCM(block)
	return walletKeys{hash: hex.EncodeToString(sum[:]), aead: aead}, err
}

// seal encrypts a ticket's QR text; the link and the ticket are its additional data, so
// a sealed code moved to another row does not open.
func (k walletKeys) seal(id ledger.TicketID, qr string) string {
	nonce := make([]byte, k.aead.NonceSize())
	rand.Read(nonce)
	return base64.StdEncoding.EncodeToString(k.aead.Seal(nonce, nonce, []byte(qr), k.additional(id)))
}

// open decrypts a code sealed for the ticket.
func (k walletKeys) open(id ledger.TicketID, sealed string) (string, error) {
	data, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return "", err
	}
	n := k.aead.NonceSize()
	if len(data) < n {
		return "", errors.New("sealed wallet code too short")
	}
	plain, err := k.aead.Open(nil, data[:n], data[n:], k.additional(id))
	return string(plain), err
}

func (k walletKeys) additional(id ledger.TicketID) []byte {
	return []byte(k.hash + "\x00" + id.Contract + "\x00" + strconv.FormatInt(id.Sale, 10) + "\x00" + strconv.Itoa(id.Index))
}
