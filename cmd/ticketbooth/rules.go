package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:  "rules",
		Usage: "set and show a contract's rules (only while no sale is active)",
		Subcommands: []*cli.Command{
			{
				Name:      "set",
				Usage:     "set one or more rules, all in one transaction",
				UsageText: "ticketbooth rules set --contract ADDR [--fee N] [--no-release-blocks N] [--identity=true|false]",
				Flags: append(connFlags(), contractFlag(),
					&cli.Int64Flag{Name: "fee", Usage: "ticket release fee kept from refunds, in minor units of the sale's currency (500 = EUR 5.00; default 0)"},
					&cli.Int64Flag{Name: "no-release-blocks", Usage: "blocks before the end of sale in which releases stop (default 0)"},
					&cli.BoolFlag{Name: "identity", Usage: "require the purchaser's name, checked against an ID at the gate"},
				),
				Action: contractAction(rulesSet),
			},
			{
				Name:   "show",
				Usage:  "show a contract's rules",
				Flags:  append(connFlags(), contractFlag()),
				Action: contractAction(rulesShow),
			},
		},
	}
}

func rulesSet(c *cli.Context, s *session, address string) error {
	var change ledger.RulesChange
	if c.IsSet("fee") {
		change.ReleaseFee = ptr(c.Int64("fee"))
	}
	if c.IsSet("no-release-blocks") {
		change.NoReleaseBlocks = ptr(c.Int64("no-release-blocks"))
	}
	if c.IsSet("identity") {
		change.RequireIdentityVerification = ptr(c.Bool("identity"))
	}
	if change.Empty() {
		return usagef("give at least one of --fee, --no-release-blocks, --identity")
	}
	rc, err := s.svc.SetRules(s.ctx, address, change)
	if err != nil {
		return err
	}
	var r ledger.Rules
	if err := json.Unmarshal(rc.Effect, &r); err != nil {
		return err
	}
	currency, err := s.currency(address)
	if err != nil {
		return err
	}
	return s.print(rc, func(w io.Writer) {
		fmt.Fprintf(w, "rules set at height %d: release fee %s, no-release blocks %d, identity verification %t\ntransaction %s\n",
			rc.Height, ledger.FormatAmount(currency, r.ReleaseFee), r.NoReleaseBlocks, r.RequireIdentityVerification, rc.TransactionHash)
	})
}

func ptr[T any](v T) *T { return &v }

func rulesShow(c *cli.Context, s *session, address string) error {
	con, err := s.svc.Contract(s.ctx, address)
	if err != nil {
		return err
	}
	return s.print(con.Rules, func(w io.Writer) {
		fmt.Fprintf(w, "release fee             %s\nno-release blocks       %d\nidentity verification   %t\n",
			ledger.FormatAmount(contractCurrency(con), con.Rules.ReleaseFee), con.Rules.NoReleaseBlocks, con.Rules.RequireIdentityVerification)
	})
}
