package ledger

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
)

// HolderKeySize is the length of the ledger's holder key in bytes.
const HolderKeySize = 32

// HolderAddress is the pseudonymous address under which the public ticket list and the
// journal show the holder of a ticket: the first 20 bytes of an HMAC-SHA256, under the
// ledger's secret holder key, of the contract, the key that sold the ticket (its actor
// ID, "key:7" or "admin"; empty for tickets sold before holders were pseudonymous) and
// the sender, written as a contract address is (base58check under AddressVersion).
//
// It is stable, so a buyer finds their seats in the list under the address their
// purchase answered, and it tells nobody without the key who the sender is, nor whether
// a sender they guess bought: the key never leaves the database. Mixing in the selling
// key means one shop cannot test another shop's customers by buying as them.
func HolderAddress(key []byte, contract, seller, sender string) string {
	mac := hmac.New(sha256.New, key)
	for _, part := range []string{"ticketbooth holder v1", contract, seller, sender} {
		mac.Write(binary.BigEndian.AppendUint32(nil, uint32(len(part)))) // length-prefixed: no part runs into the next
		mac.Write([]byte(part))
	}
	payload := mac.Sum(nil)[:20]
	payload[0] |= 1 // never the zero address, which means "available"
	return encodeAddress(payload)
}
