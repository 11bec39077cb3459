package issuer

import (
	"context"
	"fmt"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// WalletResender sends a customer a new wallet link by e-mail after revoking all their
// links (a link that reached someone else). A new link cannot open the codes sealed under
// the old tokens, and the ledger never keeps a ticket's keys, so the tickets the customer
// holds are reissued (new secrets: the old codes stop at the gate) and mailed afresh, one
// mail per contract, each carrying a new link with the new codes.
type WalletResender struct {
	Wallets ledger.Wallets
	Issuer  Service      // Reissue
	Mailer  TicketMailer // the Courier
	// Now names the mails' keys; nil: time.Now.
	Now func() time.Time
}

// ResendWallet revokes the customer's links, reissues the tickets they hold and mails
// them with a new link. Errors reading or revoking stop it (nothing is reissued then); a
// ticket that cannot be reissued, or a mail that cannot be queued, is reported in
// Skipped and the others go on.
func (r *WalletResender) ResendWallet(ctx context.Context, customer int64) (ledger.WalletResend, error) {
	out := ledger.WalletResend{Customer: customer}
	tickets, err := r.Wallets.CustomerTickets(ctx, customer)
	if err != nil {
		return out, err
	}
	if out.Revoked, err = r.Wallets.RevokeLinks(ctx, customer); err != nil {
		return out, err
	}
	for _, p := range r.reissue(ctx, tickets, &out) {
		why := fmt.Sprintf("wallet/%d/resent/%d/%s", customer, r.now().UnixNano(), p.Contract)
		if err := r.Mailer.SendTickets(ctx, customer, why, p); err != nil {
			out.Skipped = append(out.Skipped, fmt.Sprintf("the mail of %d tickets of contract %s: %s", len(p.Tickets), p.Contract, ledger.ErrorMessage(err)))
			continue
		}
		out.Mails++
	}
	return out, nil
}

// reissue reissues each ticket not yet admitted and returns them as one purchase per
// contract, in the order the tickets came.
func (r *WalletResender) reissue(ctx context.Context, tickets []ledger.WalletTicket, out *ledger.WalletResend) []Purchase {
	var order []string
	byContract := map[string]*Purchase{}
	for _, t := range tickets {
		if t.Status == ledger.TicketCheckedIn {
			out.Skipped = append(out.Skipped, fmt.Sprintf("ticket %s: already admitted at the gate", t.ID))
			continue
		}
		p, err := r.Issuer.Reissue(ctx, t.Contract, ReissueRequest{Seat: t.Seat})
		if err != nil {
			out.Skipped = append(out.Skipped, fmt.Sprintf("ticket %s: %s", t.ID, ledger.ErrorMessage(err)))
			continue
		}
		out.Reissued++
		all, ok := byContract[t.Contract]
		if !ok {
			all = &Purchase{Contract: t.Contract, TicketsPerQR: 1}
			byContract[t.Contract] = all
			order = append(order, t.Contract)
		}
		all.TransactionHash, all.Height, all.Holder = p.TransactionHash, p.Height, p.Holder
		all.Tickets, all.QR = append(all.Tickets, p.Tickets...), append(all.QR, p.QR...)
	}
	purchases := make([]Purchase, len(order))
	for i, c := range order {
		purchases[i] = *byContract[c]
	}
	return purchases
}

func (r *WalletResender) now() time.Time {
	if r.Now == nil {
		return time.Now()
	}
	return r.Now()
}
