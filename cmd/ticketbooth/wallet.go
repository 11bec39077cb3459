package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// walletLinkCommand is `customer wallet-link`: a new link to a customer's wallet page.
func walletLinkCommand() *cli.Command {
	return &cli.Command{
		Name: "wallet-link",
		Usage: "make a new link to a customer's wallet page and print it, this once (--revoke: first revoke " +
			"every link the customer has, for a link that reached someone else)",
		UsageText: "ticketbooth customer wallet-link --id ID [--revoke]\n   ticketbooth customer wallet-link --id ID --send --server URL",
		Flags: append(connFlags(), customerIDFlag(),
			&cli.BoolFlag{Name: "revoke", Usage: "revoke all of the customer's wallet links first: they stop working at once"},
			&cli.BoolFlag{Name: "send", Usage: "revoke the links, reissue the customer's tickets (their old codes stop) and " +
				"have the server e-mail them with a new link, which is then printed nowhere (needs --server)"},
			quietFlag()),
		Action: customerAction(walletLink),
	}
}

func walletLink(c *cli.Context, s *session) error {
	if c.Bool("send") {
		return walletResend(c, s)
	}
	out, err := s.newWalletLink(s.ctx, c.Int64("id"), c.Bool("revoke"))
	if err != nil {
		return err
	}
	if base := c.String("server"); base != "" {
		out.Link = strings.TrimSuffix(base, "/") + out.Link
	}
	if c.Bool("quiet") {
		fmt.Fprintln(s.out, out.Link)
		return nil
	}
	return s.print(out, func(w io.Writer) {
		fmt.Fprintf(w, "new wallet link for customer %d (%d older links revoked), shown only this once:\n%s\n", out.Customer, out.Revoked, out.Link)
		if c.String("server") == "" {
			fmt.Fprintln(w, "put the server's public URL before it; whoever has the link sees the customer's tickets")
		}
	})
}

// storeWalletLink makes a new wallet link in-process, as the server's route does.
func storeWalletLink(w ledger.Wallets) func(ctx context.Context, customer int64, revoke bool) (api.WalletLinkResponse, error) {
	return func(ctx context.Context, customer int64, revoke bool) (api.WalletLinkResponse, error) {
		token, revoked, err := ledger.RenewWalletLink(ctx, w, customer, revoke)
		return api.WalletLinkResponse{Customer: customer, Token: token, Link: api.WalletLink(token), Revoked: revoked}, err
	}
}

// walletResend has the server mail the customer a new link with their tickets reissued.
func walletResend(c *cli.Context, s *session) error {
	if s.resendWallet == nil {
		return usagef("--send needs --server: the server mails the customer, and this command alone sends no e-mail")
	}
	out, err := s.resendWallet(s.ctx, c.Int64("id"))
	if err != nil {
		return err
	}
	return s.print(out, func(w io.Writer) {
		fmt.Fprintf(w, "customer %d: %d links revoked, %d tickets reissued, %d mails queued with a new link\n",
			out.Customer, out.Revoked, out.Reissued, out.Mails)
		for _, skipped := range out.Skipped {
			fmt.Fprintf(w, "not sent: %s\n", skipped)
		}
	})
}
