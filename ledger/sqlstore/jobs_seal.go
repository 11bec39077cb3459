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
	"errors"
)

// A job's token (the QTKN cookie) is never stored. From it and the job's id come three
// values, each under its own label, none of which gives back the token or another of them:
//   - the row's check (token_hash): SHA-256 of the token;
//   - the key that marks the request's body (body_mark): HKDF-SHA256 of the token, salt the id;
//   - the key that seals the answer (answer): HKDF-SHA256 of the token, salt the id.
// So the database alone can neither read an answer (ticket codes, customers) nor test a
// guess at a body; a caller holding the cookies can.

const (
	labelJobBody   = "ticketbooth command job body v1"
	labelJobAnswer = "ticketbooth command job answer v1"
)

// jobKeys are the values derived from one job's token.
type jobKeys struct {
	id        string
	tokenHash string
	body      []byte // keys the body's mark
	answer    []byte // seals the answer (AES-256-GCM)
}

func deriveJobKeys(id, token string) (jobKeys, error) {
	sum := sha256.Sum256([]byte(token))
	k := jobKeys{id: id, tokenHash: hex.EncodeToString(sum[:])}
	var err1, err2 error
	k.body, err1 = hkdf.Key(sha256.New, []byte(token), []byte(id), labelJobBody, 32)
	k.answer, err2 = hkdf.Key(sha256.New, []byte(token), []byte(id), labelJobAnswer, 32)
	return k, errors.Join(err1, err2)
}

// mark returns the stored mark of a body's SHA-256.
func (k jobKeys) mark(body [32]byte) string {
	mac := hmac.New(sha256.New, k.body)
	mac.Write(body[:])
	return hex.EncodeToString(mac.Sum(nil))
}

// seal encrypts an answer; the job's id is the additional data, so a sealed answer
// moved to another row does not open.
func (k jobKeys) seal(answer []byte) (string, error) {
	aead, err := k.aead()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(answer)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(aead.Seal(nonce, nonce, answer, []byte(k.id))), nil
}

// open decrypts a sealed answer.
func (k jobKeys) open(sealed string) ([]byte, error) {
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
	return aead.Open(nil, data[:aead.NonceSize()], data[aead.NonceSize():], []byte(k.id))
}

func (k jobKeys) aead() (cipher.AEAD, error) {
	block, err := aes.NewCipher(k.answer)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
