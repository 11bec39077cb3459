package delivery

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/delivery/mail"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// Ledger is what the Courier reads of the ledger: the contract (its venue and sale) and
// the clock (for the release deadline the PDF prints). ledger.Service provides both.
type Ledger interface {
	Contract(ctx context.Context, address string) (ledger.Contract, error)
	Info(ctx context.Context) (ledger.Info, error)
}

// CustomerReader reads a customer by id, as ledger.Customers does.
type CustomerReader interface {
	Customer(ctx context.Context, id int64) (ledger.Customer, error)
}

// DefaultFrom is the sender of the mails when the Courier is given none.
const DefaultFrom = "Ticketbooth <tickets@localhost>"

// Courier delivers tickets by e-mail: it builds the customer's mail for a purchase and
// queues it (see the package doc). Ledger, Customers and Queue are required; the zero
// values of the others leave out what they provide.
type Courier struct {
	Ledger    Ledger
	Customers CustomerReader
	Queue     ledger.MailQueue
	// Tickets finds out whether a purchase's tickets are SECURE (the ticket list's
	// format); nil: every ticket is taken for a PDF ticket.
	Tickets ledger.TicketLists
	// Wallets mints the wallet link the mail carries; nil: the mail has no link (and
	// SECURE tickets, which have nothing else, are not mailed).
	Wallets Wallets
	// PublicURL is the base of the wallet link: <PublicURL>/wallet#<token>.
	PublicURL string
	// From and ReplyTo are the mail's sender (DefaultFrom when empty) and reply address
	// (none when empty).
	From, ReplyTo string
	// Layout is the PDF's page, A6 (ticket stock, one ticket a page) or A4.
	Layout issuer.Layout
	// Passes signs one Apple Wallet pass per PDF ticket; nil: no passes.
	Passes *Passes
	// Now dates the mail; nil: time.Now.
	Now func() time.Time
}

// SendTickets mails the purchase's tickets to the customer (by id) and returns once the
// mail is queued. why is the queue's key, which makes the mail sent once and says why it
// was sent: "booking/42/confirmed", "ticket/<address>/<seat>/reissued/<n>",
// "transfer/..."; a second call with a key already queued or sent queues nothing and
// returns nil. p is the purchase as the issuer returned it, with its keys: every
// ticket, in one QR code each, goes into the mail (the PDF's codes, the passes' and the
// wallet's are the same texts). A customer without an e-mail address (or erased) is
// refused (EREFUSED), and so are SECURE tickets when the Courier has no Wallets; errors
// name ids, never the customer's data.
func (c *Courier) SendTickets(ctx context.Context, customer int64, why string, p issuer.Purchase) error {
	if why == "" || len(p.Tickets) == 0 {
		return ledger.Errorf(ledger.EINVALID, "A mail of tickets needs a reason (its queue key) and at least one ticket.")
	}
	cu, err := c.CanMail(ctx, customer, "")
	if err != nil {
		return err
	}
	contract, err := c.Ledger.Contract(ctx, p.Contract)
	if err != nil {
		return err
	}
	if contract.Sale == nil {
		return ledger.Errorf(ledger.EINVALID, "Contract %s has no sale whose tickets could be mailed.", p.Contract)
	}
	if p, err = onePerCode(p); err != nil {
		return err
	}
	conf, err := c.confirmation(ctx, cu, contract, p)
	if err != nil {
		return err
	}
	msg, err := mail.Build(conf)
	if err != nil {
		return err
	}
	_, err = c.Queue.Enqueue(ctx, ledger.OutgoingMail{Key: why, To: cu.Email, Message: msg})
	return err
}

// CanMail reads the customer and returns it when tickets of the format ("" or
// ledger.FormatPDF, ledger.FormatSecure) can be mailed to them: EREFUSED in words when the
// customer has no e-mail address (or was erased), or the tickets are SECURE and the
// Courier has no wallets to deliver them through.
func (c *Courier) CanMail(ctx context.Context, customer int64, format string) (ledger.Customer, error) {
	cu, err := c.Customers.Customer(ctx, customer)
	if err != nil {
		return ledger.Customer{}, err
	}
	if cu.Email == "" {
		return ledger.Customer{}, ledger.Errorf(ledger.EREFUSED, "Customer %d has no e-mail address to send the tickets to.", customer)
	}
	if format == ledger.FormatSecure && c.Wallets == nil {
		return ledger.Customer{}, errNoWallet
	}
	return cu, nil
}

var errNoWallet = ledger.Errorf(ledger.EREFUSED,
	"SECURE tickets are delivered through the wallet page, which this server does not serve: nothing was mailed.")

// confirmation gathers what the mail says and carries: the wallet link always, the PDF
// and passes for PDF tickets only.
func (c *Courier) confirmation(ctx context.Context, cu ledger.Customer, contract ledger.Contract, p issuer.Purchase) (mail.Confirmation, error) {
	secure, err := c.secure(ctx, cu.ID, p)
	if err != nil {
		return mail.Confirmation{}, err
	}
	link, err := c.walletLink(ctx, cu.ID, p)
	if err != nil {
		return mail.Confirmation{}, err
	}
	if secure && link == "" {
		return mail.Confirmation{}, errNoWallet
	}
	conf := mail.Confirmation{BookingID: issuer.Reference(p.TransactionHash), Locale: cu.Locale,
		From: c.from(), ReplyTo: c.ReplyTo, To: cu.Email, CustomerName: customerName(cu),
		ShowTitle: contract.Sale.Details.Name, Tickets: len(p.Tickets), WalletURL: link, Date: c.now()}
	if secure {
		return conf, nil
	}
	if conf.PDF, err = c.pdf(ctx, contract, p); err != nil {
		return mail.Confirmation{}, err
	}
	conf.Passes, err = c.Passes.build(contract, p)
	return conf, err
}

// onePerCode regroups the purchase one ticket a QR code: each ticket gets its own page,
// pass and wallet code, whatever grouping the purchase was answered with.
func onePerCode(p issuer.Purchase) (issuer.Purchase, error) {
	qr, err := issuer.QRTexts(p.Tickets, 1)
	if err != nil {
		return issuer.Purchase{}, err
	}
	p.QR, p.TicketsPerQR = qr, 1
	return p, nil
}

// secure reports whether any of the purchase's tickets is SECURE, as the ticket list of
// the customer's tickets on the contract says.
func (c *Courier) secure(ctx context.Context, customer int64, p issuer.Purchase) (bool, error) {
	if c.Tickets == nil {
		return false, nil
	}
	seats := make(map[string]bool, len(p.Tickets))
	for _, t := range p.Tickets {
		seats[t.Seat.Key()] = true
	}
	q := ledger.TicketQuery{Contract: p.Contract, Owner: customer, Format: ledger.FormatSecure, Limit: ledger.MaxTicketListLimit}
	for {
		list, err := c.Tickets.ListTickets(ctx, q)
		if err != nil {
			return false, err
		}
		for _, t := range list.Tickets {
			if seats[t.Seat.Key()] {
				return true, nil
			}
		}
		if list.Next == "" {
			return false, nil
		}
		q.After = list.Next
	}
}

// walletLink mints a wallet link carrying the purchase's codes: "" without Wallets.
func (c *Courier) walletLink(ctx context.Context, customer int64, p issuer.Purchase) (string, error) {
	if c.Wallets == nil {
		return "", nil
	}
	codes := make([]ledger.WalletCode, len(p.Tickets))
	for i, t := range p.Tickets {
		codes[i] = ledger.WalletCode{Contract: p.Contract, Seat: t.Seat, QR: p.QR[i], SecretDigest: crypto.SecretDigest(t.Secret.Plaintext)}
	}
	token, err := c.Wallets.OpenLink(ctx, customer, codes)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(c.PublicURL, "/") + "/wallet#" + token, nil
}

// pdf renders the purchase as the CLI and the HTTP API print it, on the Courier's layout.
func (c *Courier) pdf(ctx context.Context, contract ledger.Contract, p issuer.Purchase) ([]byte, error) {
	info, err := c.Ledger.Info(ctx)
	if err != nil {
		return nil, err
	}
	printed, err := ticketpdf.Printed(p, contract, ledger.Clock{Genesis: info.Genesis, Interval: time.Duration(info.BlockInterval)})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := ticketpdf.WritePDF(&buf, c.Layout, printed); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// customerName is how the mail greets the customer: the first and last name, else the
// company.
func customerName(cu ledger.Customer) string {
	if name := strings.TrimSpace(cu.FirstName + " " + cu.LastName); name != "" {
		return name
	}
	return cu.Company
}

func (c *Courier) from() string {
	if c.From == "" {
		return DefaultFrom
	}
	return c.From
}

func (c *Courier) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}
