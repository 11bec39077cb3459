package delivery

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The Courier's two outlets, as the delivery plan names them: the durable mail queue and
// the customers' wallet links. Until their stores land in package ledger
// (ledger.OutgoingMail, ledger.MailQueue, ledger.WalletCode, ledger.Wallets), they are
// declared here with the same shapes.

// OutgoingMail is one message for the queue: Key makes it sent once, To is the
// recipient's address (for the transport's envelope), Message the RFC 5322 bytes.
type OutgoingMail struct {
	Key     string
	To      string
	Message []byte
}

// Queue keeps mails until they are sent. Enqueue returns false, and keeps nothing, when a
// mail under the same key was queued or sent before.
type Queue interface {
	Enqueue(ctx context.Context, m OutgoingMail) (bool, error)
}

// WalletCode is one ticket's code as the wallet page shows it: the contract and seat, the
// QR text (sealed by the wallet under the link's token) and the ticket's secret digest.
type WalletCode struct {
	Contract     string
	Seat         ledger.Seat
	QR           string
	SecretDigest []byte
}

// Wallets mints the links to the customers' wallet pages: OpenLink returns a new token
// whose page shows the codes given (and lists the customer's other tickets).
type Wallets interface {
	OpenLink(ctx context.Context, customer int64, codes []WalletCode) (token string, err error)
}
