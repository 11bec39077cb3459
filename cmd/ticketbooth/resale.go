package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// resaleService is what the transfer, resale and reissue --send commands use: the
// server's client, or in-process the store's Resale with the issuer (which mails
// nothing: mailing is the server's).
type resaleService interface {
	TransferTicket(ctx context.Context, address string, body api.TransferBody) (api.Delivered, error)
	ReissueAndSend(ctx context.Context, address string, body api.ReissueSendBody) (api.Delivered, error)
	SetResaleTerms(ctx context.Context, address string, t ledger.ResaleTerms) (ledger.Receipt, error)
	ResaleTerms(ctx context.Context, address string) (ledger.ResaleTerms, error)
	OfferResale(ctx context.Context, address string, r ledger.OfferRequest) (ledger.ResaleOffer, error)
	ResaleOffers(ctx context.Context, address string) ([]ledger.ResaleOffer, error)
	ResaleCredits(ctx context.Context, address string) ([]ledger.ResaleCredit, error)
	WithdrawResale(ctx context.Context, offer int64, r ledger.WithdrawRequest) (ledger.ResaleOffer, error)
	BuyOffer(ctx context.Context, offer int64, body api.BuyBody) (api.Delivered, error)
}

// localResale serves the resale commands in-process.
type localResale struct {
	*sqlstore.Resale
	deliver issuer.Deliverer
}

func newLocalResale(st *sqlstore.Store, sales *issuer.Issuer) localResale {
	return localResale{Resale: st.Resale, deliver: issuer.Deliverer{Reseller: sales, Sales: sales, Resale: st.Resale, Customers: st.Customers}}
}

func (l localResale) TransferTicket(ctx context.Context, address string, b api.TransferBody) (api.Delivered, error) {
	return l.deliver.Transfer(ctx, address, issuer.TransferRequest{Seat: *b.Seat, Secret: b.Secret, Sender: b.Sender}, b.Receiver, b.Send)
}

func (l localResale) ReissueAndSend(ctx context.Context, address string, b api.ReissueSendBody) (api.Delivered, error) {
	return l.deliver.ReissueAndSend(ctx, address, issuer.ReissueRequest{Seat: *b.Seat, Secret: b.Secret, CustomerName: b.CustomerName}, b.Customer)
}

func (l localResale) BuyOffer(ctx context.Context, offer int64, b api.BuyBody) (api.Delivered, error) {
	return l.deliver.Buy(ctx, offer, b.Customer, b.CustomerName, b.Send)
}

func transferCommand() *cli.Command {
	return &cli.Command{
		Name:  "transfer",
		Usage: "move a sold ticket to another person with a new secret (the old QR is refused from then on), and mail it to them",
		UsageText: "ticketbooth transfer --contract ADDR --seat 1A --to-email bea@example.com --to-name \"Bea Example\" [--secret SECRET]\n" +
			"   ticketbooth transfer --contract ADDR --seat 1A --to-customer ID\n" +
			"   the receiver is found by e-mail address among the customers, or recorded as a new one;\n" +
			"   without --secret only the contract's organizer or the key that sold the ticket may transfer it",
		Flags: append(connFlags(), contractFlag(),
			&cli.StringFlag{Name: "seat", Required: true, Usage: "the seat whose ticket to transfer (1A, 12, A or Section/12A)"},
			&cli.StringFlag{Name: "secret", Usage: "the ticket's current 15-character secret, when the holder gives it"},
			&cli.StringFlag{Name: "sender", Usage: "the holder's `ACCOUNT`, checked when given (customer:ID for a customer)"},
			&cli.Int64Flag{Name: "to-customer", Usage: "the receiver: an existing customer's `ID`"},
			&cli.StringFlag{Name: "to-email", Usage: "the receiver's e-mail `ADDRESS` (found among the customers, or recorded)"},
			&cli.StringFlag{Name: "to-first-name", Usage: "the receiver's first `NAME`, for a new customer"},
			&cli.StringFlag{Name: "to-last-name", Usage: "the receiver's last `NAME`, for a new customer (printed on the ticket under the identity policy)"},
			&cli.StringFlag{Name: "to-locale", Usage: "the receiver's language `TAG` (de-CH, en), for a new customer's mails"},
			sendFlag(), ticketOutFlag(), layoutFlag(),
		),
		Action: contractAction(transfer),
	}
}

func sendFlag() cli.Flag {
	return &cli.BoolFlag{Name: "send", Usage: "mail the ticket to the customer (default: when the server mails); --send=false to only move it"}
}

func ticketOutFlag() cli.Flag {
	return &cli.StringFlag{Name: "out", Usage: "also write the new ticket to `FILE` (.pdf, .png or .json)"}
}

func layoutFlag() cli.Flag {
	return &cli.StringFlag{Name: "layout", Value: "a4", Usage: "PDF layout: a4 (print at home) or a6 (ticket stock)"}
}

func transfer(c *cli.Context, s *session, address string) error {
	seat, err := ledger.ParseSeat(c.String("seat"))
	if err != nil {
		return err
	}
	to := api.Receiver{Customer: c.Int64("to-customer"), Email: c.String("to-email"), FirstName: c.String("to-first-name"),
		LastName: c.String("to-last-name"), Locale: c.String("to-locale")}
	if (to.Customer == 0) == (to.Email == "") {
		return usagef("name the receiver: --to-customer ID, or --to-email ADDRESS with their name")
	}
	d, err := s.resale.TransferTicket(s.ctx, address, api.TransferBody{Seat: &seat, Secret: c.String("secret"), Sender: c.String("sender"),
		Receiver: to, Send: sendAsked(c)})
	if err != nil {
		return err
	}
	return s.printDelivered(c, d, fmt.Sprintf("transferred %s to customer %d", seat, d.Customer))
}

// sendAsked is --send when given: nil leaves it to the server (mail when it can).
func sendAsked(c *cli.Context) *bool {
	if !c.IsSet("send") {
		return nil
	}
	send := c.Bool("send")
	return &send
}

// printDelivered writes the ticket when --out asks for it, and prints what was done.
func (s *session) printDelivered(c *cli.Context, d api.Delivered, what string) error {
	var files []string
	if out := c.String("out"); out != "" {
		_, format, layout, err := ticketOutput(c)
		if err == nil {
			files, err = writePurchase(s, d.Purchase, out, format, layout)
		}
		if err != nil {
			return fmt.Errorf("%s (transaction %s) but writing %s failed: %w", what, d.Purchase.TransactionHash, out, err)
		}
	}
	return s.print(d, func(w io.Writer) {
		fmt.Fprintf(w, "%s (holder %s): the old QR is no longer valid, reference %s\n", what, d.Purchase.Holder,
			issuer.Reference(d.Purchase.TransactionHash))
		switch {
		case d.Mailed:
			fmt.Fprintf(w, "mailed the ticket to customer %d\n", d.Customer)
		case d.MailError != "":
			fmt.Fprintf(w, "the mail to customer %d was not queued: %s\n", d.Customer, d.MailError)
		}
		fmt.Fprintf(w, "transaction %s\n", d.Purchase.TransactionHash)
		if len(files) > 0 {
			fmt.Fprintf(w, "wrote %s\n", strings.Join(files, ", "))
		}
	})
}
