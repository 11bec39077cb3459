package sqlstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The Idempotency-Key is never stored. From it and the actor come three values, each
// under its own fixed label, none of which gives back the key or another of them:
//   - the row's name (key_hash): HMAC-SHA256 keyed by a fixed label, of actor and key;
//   - the key that marks the request (request): HKDF-SHA256 of the key, salt the actor;
//   - the key that seals the answer (answer): HKDF-SHA256 of the key, salt the actor.
// So the database alone can neither read an answer (ticket keys, QR texts) nor tell
// which request a row was for; a client that holds the Idempotency-Key can.

const (
	labelKeyHash = "ticketbooth idempotency key hash v1"
	labelRequest = "ticketbooth idempotency request v1"
	labelAnswer  = "ticketbooth idempotency answer v1"
)

// replayKeys are the values derived from one actor's Idempotency-Key.
type replayKeys struct {
	actor   string
	keyHash string // the row's name
	request []byte // keys the request's mark
	answer  []byte // seals the answer (AES-256-GCM)
}

func deriveReplayKeys(actor, key string) (replayKeys, error) {
	mac := hmac.New(sha256.New, []byte(labelKeyHash))
	mac.Write([]byte(actor))
	mac.Write([]byte{0})
	mac.Write([]byte(key))
	k := replayKeys{actor: actor, keyHash: hex.EncodeToString(mac.Sum(nil))}
	var err1, err2 error
	k.request, err1 = hkdf.Key(sha256.New, []byte(key), []byte(actor), labelRequest, 32)
	k.answer, err2 = hkdf.Key(sha256.New, []byte(key), []byte(actor), labelAnswer, 32)
	return k, errors.Join(err1, err2)
}

// mark returns the stored mark of a request's digest.
func (k replayKeys) mark(request []byte) string {
	mac := hmac.New(sha256.New, k.request)
	mac.Write(request)
	return hex.EncodeToString(mac.Sum(nil))
}

// seal encrypts the answer's headers and body; the row's actor and name are its
// additional data, so a sealed answer moved to another row does not open.
func (k replayKeys) seal(a ledger.Answer) (string, error) {
	plain, err := json.Marshal(ledger.Answer{Header: a.Header, Body: a.Body})
	if err != nil {
		return "", err
	}
	aead, err := k.aead()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, plain, k.additional())), nil
}

// open decrypts a sealed answer with the status kept beside it.
func (k replayKeys) open(sealed string, status int) (*ledger.Answer, error) {
	data, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return nil, err
	}
	aead, err := k.aead()
	if err != nil {
		return nil, err
	}
	if len(data) < aead.NonceSize() {
		return nil, errors.New("sealed answer too short")
	}
	plain, err := aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], k.additional())
	if err != nil {
		return nil, err
	}
	var a ledger.Answer
	if err := json.Unmarshal(plain, &a); err != nil {
		return nil, err
	}
	a.Status = status
	return &a, nil
}

func (k replayKeys) aead() (cipher.AEAD, error) {
	block, err := aes.NewCipher(k.answer)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (k replayKeys) additional() []byte {
	return []byte(k.actor + "\x00" + k.keyHash)
}
