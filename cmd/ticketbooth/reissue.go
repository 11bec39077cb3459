package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func reissueCommand() *cli.Command {
	return &cli.Command{
		Name:  "reissue",
		Usage: "give a sold ticket a new secret and QR for the same seat and holder (the old QR is refused from then on)",
		UsageText: "ticketbooth reissue --contract ADDR --seat 1A [--secret SECRET] [--name NAME] --out FILE\n" +
			"   ticketbooth reissue --contract ADDR --seat 1A --send [--customer ID] [--out FILE]\n" +
			"   --send mails the new ticket to the customer holding it (through a server that mails: a lost ticket)\n" +
			"   without --secret only the contract's organizer or the key that sold the ticket may reissue it\n" +
			"   FILE's extension picks the format: .pdf (ticket), .png (QR image), .json (secret, keys and QR text)",
		Flags: append(connFlags(), contractFlag(),
			&cli.StringFlag{Name: "seat", Required: true, Usage: "the seat whose ticket to reissue (1A, 12, A or Section/12A)"},
			&cli.StringFlag{Name: "secret", Usage: "the ticket's current 15-character secret, when the customer still has it"},
			&cli.StringFlag{Name: "name", Usage: "the purchaser's name, printed and checked at the gate (required under the identity policy)"},
			&cli.StringFlag{Name: "out", Usage: "write the new ticket to `FILE` (.pdf, .png or .json); required without --send"},
			&cli.BoolFlag{Name: "send", Usage: "mail the new ticket to the customer holding it (or --customer), through the server"},
			&cli.Int64Flag{Name: "customer", Usage: "with --send: mail it to the customer of this `ID` instead of the holder"},
			&cli.StringFlag{Name: "layout", Value: "a4", Usage: "PDF layout: a4 (print at home) or a6 (ticket stock)"},
		),
		Action: contractAction(reissue),
	}
}

func reissue(c *cli.Context, s *session, address string) error {
	if c.Bool("send") {
		return reissueAndSend(c, s, address)
	}
	if c.String("out") == "" {
		return usagef("give --out FILE for the new ticket, or --send to mail it to its holder")
	}
	out, format, layout, err := ticketOutput(c)
	if err != nil {
		return err
	}
	seat, err := ledger.ParseSeat(c.String("seat"))
	if err != nil {
		return err
	}
	p, err := s.sell.Reissue(s.ctx, address, issuer.ReissueRequest{Seat: seat, Secret: c.String("secret"), CustomerName: c.String("name")})
	if err != nil {
		return err
	}
	files, err := writePurchase(s, p, out, format, layout)
	if err != nil {
		return fmt.Errorf("the ticket was reissued (transaction %s) but writing %s failed: %w", p.TransactionHash, out, err)
	}
	return s.print(p, func(w io.Writer) {
		fmt.Fprintf(w, "reissued %s for holder %s: the old QR is no longer valid, reference %s\ntransaction %s\nwrote %s\n",
			seat, p.Holder, issuer.Reference(p.TransactionHash), p.TransactionHash, strings.Join(files, ", "))
	})
}

// reissueAndSend reissues the ticket and has it mailed to its holder (reissue --send).
func reissueAndSend(c *cli.Context, s *session, address string) error {
	seat, err := ledger.ParseSeat(c.String("seat"))
	if err != nil {
		return err
	}
	d, err := s.resale.ReissueAndSend(s.ctx, address, api.ReissueSendBody{Seat: &seat, Secret: c.String("secret"),
		CustomerName: c.String("name"), Customer: c.Int64("customer")})
	if err != nil {
		return err
	}
	return s.printDelivered(c, d, fmt.Sprintf("reissued %s for customer %d", seat, d.Customer))
}
