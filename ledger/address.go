package ledger

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"math/big"
)

// AddressVersion is the version byte of contract addresses: the one of Cirrus mainnet, so
// addresses start with "C" and the zero address is Cirrus mainnet's Address.Zero.
const AddressVersion = 28

// ZeroAddress is the owner address of an available ticket, as Ticketbooth shows it
// (base58check of twenty zero bytes under AddressVersion).
var ZeroAddress = encodeAddress(make([]byte, 20))

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// NewAddress returns a fresh contract address: base58check of 20 random bytes.
func NewAddress() (string, error) {
	payload := make([]byte, 20)
	if _, err := rand.Read(payload); err != nil {
		return "", Errorf(EINTERNAL, "reading random bytes: %v", err)
	}
	return encodeAddress(payload), nil
}

func encodeAddress(payload []byte) string {
	data := append([]byte{AddressVersion}, payload...)
	sum := doubleSHA256(data)
	data = append(data, sum[:4]...)
	return base58(data)
}

func doubleSHA256(b []byte) [32]byte {
	first := sha256.Sum256(b)
	return sha256.Sum256(first[:])
}

func base58(data []byte) string {
	n := new(big.Int).SetBytes(data)
	radix := big.NewInt(58)
	mod := new(big.Int)
	var out []byte
	for n.Sign() > 0 {
		n.DivMod(n, radix, mod)
		out = append(out, base58Alphabet[mod.Int64()])
	}
	for _, b := range data {
		if b != 0 {
			break
		}
		out = append(out, base58Alphabet[0])
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// ValidateAddress reports whether s is a well-formed contract address (right alphabet,
// length, version and checksum) as an EINVALID *Error "Invalid address s".
func ValidateAddress(s string) error {
	if s == "" {
		return Errorf(EINVALID, "Invalid address: no contract address given")
	}
	if len(s) < 26 || len(s) > 36 {
		return Errorf(EINVALID, "Invalid address %s", clip(s, 64))
	}
	n := new(big.Int)
	radix := big.NewInt(58)
	for i := 0; i < len(s); i++ {
		d := bytes.IndexByte([]byte(base58Alphabet), s[i])
		if d < 0 {
			return Errorf(EINVALID, "Invalid address %s", clip(s, 64))
		}
		n.Mul(n, radix).Add(n, big.NewInt(int64(d)))
	}
	data := n.Bytes()
	for i := 0; i < len(s) && s[i] == '1'; i++ {
		data = append([]byte{0}, data...)
	}
	if len(data) != 25 || data[0] != AddressVersion {
		return Errorf(EINVALID, "Invalid address %s", s)
	}
	sum := doubleSHA256(data[:21])
	if !bytes.Equal(sum[:4], data[21:]) {
		return Errorf(EINVALID, "Invalid address %s: checksum does not match", s)
	}
	return nil
}

// clip shortens s to at most n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
