package delivery

import (
	"context"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Wallets mints the links to the customers' wallet pages: the part of ledger.Wallets the
// Courier uses. OpenLink returns a new token whose page shows the codes given.
type Wallets interface {
	OpenLink(ctx context.Context, customer int64, codes []ledger.WalletCode) (token string, err error)
}
