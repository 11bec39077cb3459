package ledger

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"

	"github.com/ticketbooth-go/ticketbooth/crypto"
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

// Holding is what the ledger holds of a ticket's holder, for deciding who may release or
// reissue it.
type Holding struct {
	Sold         bool   // the ticket is sold (it has a holder)
	Sender       string // the purchaser's account, as the shop gave it
	SecretDigest []byte // the digest of the ticket's secret (crypto.SecretDigest)
	SoldBy       string // the actor ID of the key that sold it; "" for tickets sold before holders
}

// MayActForHolder reports whether the actor may release or reissue a ticket of the
// contract sold by soldBy without its secret: the administrator, the contract's owner,
// or the key that sold it.
func MayActForHolder(a Actor, c Contract, soldBy string) bool {
	return a.Admin || a.ID() == c.Owner || (soldBy != "" && a.ID() == soldBy)
}

// ProveHolding checks that the actor may release or reissue the ticket at seat held as h:
// with its secret (whoever holds the ticket may, compared in constant time with the
// stored digest), or as one who MayActForHolder, with the sender when one is given. It
// returns EREFUSED otherwise. A key that may not act for the holder learns nothing of the
// sender: its refusal names none.
func ProveHolding(a Actor, c Contract, seat Seat, h Holding, secret, sender string) error {
	if secret != "" {
		if h.Sold && len(h.SecretDigest) > 0 && crypto.Equal(crypto.SecretDigest(secret), h.SecretDigest) {
			return nil
		}
		return Errorf(EREFUSED, "Ticket for seat %s not owned by the holder of that secret", seat)
	}
	if !h.Sold { // free, as the public list shows: nothing to hide
		return Errorf(EREFUSED, "Ticket for seat %s not owned by %s", seat, sender)
	}
	if !MayActForHolder(a, c, h.SoldBy) {
		return Errorf(EREFUSED, "Ticket for seat %s not owned by a customer of this key: present the ticket's secret, "+
			"or ask the organizer or the office that sold it", seat)
	}
	if sender != "" && !crypto.Equal([]byte(h.Sender), []byte(sender)) {
		return Errorf(EREFUSED, "Ticket for seat %s not owned by %s", seat, sender)
	}
	return nil
}
