// Package forge plays the attack the gate must resist, for the demo and the tests: with
// CBC, anyone can choose a key and IV under which a published one-block ciphertext (a
// ticket's secret or name, as the public ticket list shows them) decrypts, with valid
// padding, to any text shorter than a block. A verifier that trusts keys from the QR
// (Ticketbooth rc2) accepts the result; ours checks digests stored at purchase.
package forge

import (
	"bytes"
	"crypto/aes"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/crypto"
)

// IV returns the IV under which the one-block ciphertext ct decrypts with key to want.
func IV(key, ct []byte, want string) ([]byte, error) {
	if len(ct) != aes.BlockSize || len(want) >= aes.BlockSize {
		return nil, errors.New("forge: needs a one-block ciphertext and a text shorter than a block")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	iv := make([]byte, aes.BlockSize)
	block.Decrypt(iv, ct)
	padded := bytes.Repeat([]byte{byte(aes.BlockSize - len(want))}, aes.BlockSize)
	copy(padded, want)
	for i := range iv {
		iv[i] ^= padded[i]
	}
	return iv, nil
}

// Keys picks a fresh key and the IV that make ct decrypt to want, and checks with
// crypto.Decrypt that they really do.
func Keys(ct []byte, want string) (key, iv []byte, err error) {
	if key, err = crypto.NewKey(); err != nil {
		return nil, nil, err
	}
	if iv, err = IV(key, ct, want); err != nil {
		return nil, nil, err
	}
	if got, err := crypto.Decrypt(key, iv, ct); err != nil || string(got) != want {
		return nil, nil, errors.New("forge: the key and IV do not decrypt to the chosen text")
	}
	return key, iv, nil
}
