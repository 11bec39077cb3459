package crypto

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
	"fmt"
)

// Encrypt returns plaintext encrypted with AES-256-CBC under key and iv, after PKCS#7
// padding. Padding is always added (a whole block of 16s when the plaintext fills its last
// block), so the ciphertext is 1 to 16 bytes longer than the plaintext. It fails, wrapping
// ErrKeySize or ErrIVSize, when key is not 32 bytes or iv not 16. The inputs are not
// modified.
func Encrypt(key, iv, plaintext []byte) ([]byte, error) {
	block, err := newCipher(key, iv)
	if err != nil {
		return nil, err
	}
	buf := pad(plaintext)
	cbcEncrypt(block, iv, buf)
	return buf, nil
}

// Decrypt returns the plaintext of an AES-256-CBC ciphertext made by Encrypt, with the
// PKCS#7 padding removed. It fails, never panicking, with an error wrapping ErrKeySize or
// ErrIVSize for a key not 32 bytes or an iv not 16, ErrCiphertext for an empty ciphertext
// or one not a multiple of 16 bytes, and ErrPadding when the decrypted padding is not
// valid, which is what a wrong key or IV usually gives. Every padding byte is checked,
// without an early exit. The inputs are not modified.
func Decrypt(key, iv, ciphertext []byte) ([]byte, error) {
	block, err := newCipher(key, iv)
	if err != nil {
		return nil, err
	}
	if len(ciphertext) == 0 || len(ciphertext)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("%w, got %d bytes", ErrCiphertext, len(ciphertext))
	}
	buf := make([]byte, len(ciphertext))
	cbcDecrypt(block, iv, buf, ciphertext)
	return unpad(buf)
}

// newCipher checks the key and IV sizes and returns the AES block cipher of key.
func newCipher(key, iv []byte) (cipher.Block, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("%w, got %d", ErrKeySize, len(key))
	}
	if len(iv) != IVSize {
		return nil, fmt.Errorf("%w, got %d", ErrIVSize, len(iv))
	}
	return aes.NewCipher(key) // cannot fail for a 32-byte key
}

// cbcEncrypt encrypts buf in place in CBC mode, without padding: the raw step that the
// NIST SP 800-38A vectors test. len(buf) must be a multiple of the block size.
func cbcEncrypt(block cipher.Block, iv, buf []byte) {
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(buf, buf)
}

// cbcDecrypt decrypts src into dst in CBC mode, without removing padding. len(src) must
// be a multiple of the block size and len(dst) at least len(src).
func cbcDecrypt(block cipher.Block, iv, dst, src []byte) {
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(dst, src)
}

// pad returns a copy of b followed by PKCS#7 padding to a whole number of blocks.
func pad(b []byte) []byte {
	n := aes.BlockSize - len(b)%aes.BlockSize
	out := make([]byte, len(b)+n)
	copy(out, b)
	for i := len(b); i < len(out); i++ {
		out[i] = byte(n)
	}
	return out
}

// unpad removes PKCS#7 padding from b, a non-empty whole number of blocks. It looks at
// every byte of the last block, whatever the padding length claims, so the time taken
// does not depend on where the padding goes wrong.
func unpad(b []byte) ([]byte, error) {
	last := b[len(b)-aes.BlockSize:]
	n := int(last[aes.BlockSize-1])
	good := subtle.ConstantTimeLessOrEq(1, n) & subtle.ConstantTimeLessOrEq(n, aes.BlockSize)
	for i, c := range last {
		inPadding := subtle.ConstantTimeLessOrEq(aes.BlockSize-i, n) // i >= 16-n
		matches := subtle.ConstantTimeByteEq(c, byte(n))
		good &= subtle.ConstantTimeSelect(inPadding, matches, 1)
	}
	if good != 1 {
		return nil, ErrPadding
	}
	return b[:len(b)-n], nil
}
