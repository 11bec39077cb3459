package ledger

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"
)

// TxDeviceRegistered is the journal kind of a device key registered for a SECURE ticket.
const TxDeviceRegistered = "device_registered"

// DeviceRequest registers the public key of the holder's phone for one SECURE ticket:
// Token is the wallet link's token (whoever presents it acts for its customer, as with
// Wallets), Ticket the ticket by its id, PublicKey the key as WebCrypto exports it (see
// ParseDeviceKey).
type DeviceRequest struct {
	Token     string
	Ticket    TicketID
	PublicKey []byte
}

// DeviceReceipt answers a registration: its journal receipt, the ticket's seat and device
// number (1 for its first phone, 2 after a move to a new one...), whether an older key
// was retired by it, and the start of the ticket's rotating codes (RotatingCodePrefix),
// to which the phone adds the step and its signature.
type DeviceReceipt struct {
	Receipt
	Seat       Seat   `json:"seat"`
	Device     int64  `json:"device"`
	Replaced   bool   `json:"replaced"`
	CodePrefix string `json:"codePrefix"`
}

// Devices keeps the device keys of SECURE tickets, implemented by the SQL store. A ticket
// has at most one: registering again (a move to a new phone through the wallet page)
// replaces it, and from that moment the old phone's codes are refused. Each key is kept
// with the ticket's secret digest at registration; the gate accepts a rotating code only
// while that digest is still the ticket's, so a reissue or a transfer (a new secret)
// retires the key without touching it.
type Devices interface {
	// RegisterDevice registers r's key for the ticket r.Ticket of its contract's latest
	// sale, for the customer of the wallet link r.Token: ErrWalletToken for a token that
	// is malformed, unknown or revoked; EREFUSED in words unless the customer holds the
	// ticket now and it is SECURE; ECONFLICT once it was used at the gate; EINVALID for a
	// malformed key.
	RegisterDevice(ctx context.Context, r DeviceRequest) (DeviceReceipt, error)
	// Device answers the ticket's phone as the wallet link r.Token may see it, with the
	// ledger's clock, which the page draws its codes by: the same refusals as
	// RegisterDevice, except that a ticket used at the gate is answered too.
	Device(ctx context.Context, token string, ticket TicketID) (DeviceStatus, error)
}

// DeviceStatus is what a wallet page learns of its ticket's phone: the seat, the start of
// its codes, the public key registered (SPKI DER; nil when none is, or the one registered
// was retired by a reissue or transfer) and its device number, and the ledger's clock.
type DeviceStatus struct {
	Seat       Seat
	CodePrefix string
	PublicKey  []byte
	Device     int64
	Now        time.Time
}

// DeviceKeyDigest is the journal's digest of a device's public key (SPKI DER) registered
// on the contract: the first 16 bytes of an HMAC-SHA256 under the ledger's holder key, in
// hex.
func DeviceKeyDigest(holderKey []byte, contract string, spki []byte) string {
	mac := hmac.New(sha256.New, holderKey)
	for _, part := range [][]byte{[]byte("ticketbooth device key v1"), []byte(contract), spki} {
		mac.Write(binary.BigEndian.AppendUint32(nil, uint32(len(part))))
		mac.Write(part)
	}
	return hex.EncodeToString(mac.Sum(nil)[:16])
}
