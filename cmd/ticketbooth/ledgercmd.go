package main

import (
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func ledgerCommand() *cli.Command {
	return &cli.Command{
		Name:  "ledger",
		Usage: "the block clock and the journal's audit",
		Subcommands: []*cli.Command{
			{
				Name:   "height",
				Usage:  "print the current block height and the clock",
				Flags:  connFlags(),
				Action: ledgerHeight,
			},
			{
				Name:  "verify",
				Usage: "check every transaction hash, Merkle root and block link, and the state against the journal; exit 1 when any fails",
				Description: "It prints the newest sealed block as HEIGHT:HASH. Keep that line somewhere the database's\n" +
					"administrators cannot change (a ticket, a mail, a printout): given back with --anchor, it\n" +
					"proves the chain up to that block was neither rewritten nor cut short since.",
				Flags: append(connFlags(), &cli.StringSliceFlag{Name: "anchor", Usage: "a block `HEIGHT:HASH` printed by an earlier verify, which must still be in the chain (repeatable)"},
					&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only the head's HEIGHT:HASH, for ANCHOR=$(ticketbooth ledger verify --quiet)"}),
				Action: ledgerVerify,
			},
			{
				Name:      "receipt",
				Usage:     "show what a transaction did",
				UsageText: "ticketbooth ledger receipt HASH",
				Flags:     connFlags(),
				Action:    ledgerReceipt,
			},
		},
	}
}

func ledgerHeight(c *cli.Context) error {
	s, err := open(c)
	if err != nil {
		return err
	}
	defer s.close()
	info, err := s.svc.Info(s.ctx)
	if err != nil {
		return err
	}
	return s.print(info, func(w io.Writer) {
		fmt.Fprintf(w, "height %d (one block every %s since %s)\n", info.Height, time.Duration(info.BlockInterval),
			info.Genesis.Local().Format(time.RFC3339))
	})
}

func ledgerVerify(c *cli.Context) error {
	s, err := open(c)
	if err != nil {
		return err
	}
	defer s.close()
	var anchors []ledger.BlockRef
	for _, text := range c.StringSlice("anchor") {
		a, err := ledger.ParseBlockRef(text)
		if err != nil {
			return err
		}
		anchors = append(anchors, a)
	}
	rep, err := s.svc.Verify(s.ctx, anchors...)
	if err != nil {
		return err
	}
	err = s.print(rep, func(w io.Writer) {
		if c.Bool("quiet") && rep.OK {
			if rep.Head != nil {
				fmt.Fprintln(w, rep.Head)
			}
			return
		}
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "PROBLEM: %s\n", p)
		}
		verdict := "ledger verified"
		if !rep.OK {
			verdict = "LEDGER FAILED VERIFICATION"
		}
		fmt.Fprintf(w, "%s: %d transactions, %d sealed blocks, height %d", verdict, rep.Transactions, rep.Blocks, rep.Height)
		if n := len(anchors); n > 0 && rep.OK {
			fmt.Fprintf(w, ", %d %s held", n, map[bool]string{true: "anchor", false: "anchors"}[n == 1])
		}
		fmt.Fprintln(w)
		if rep.Head != nil {
			fmt.Fprintf(w, "head %s (keep it elsewhere; check it later with --anchor)\n", rep.Head)
		}
	})
	if err == nil && !rep.OK {
		return cli.Exit(fmt.Sprintf("ledger verification failed: %d problems, first: %s", len(rep.Problems), first(rep.Problems)), exitFailed)
	}
	return err
}

func first(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

func ledgerReceipt(c *cli.Context) error {
	if c.NArg() != 1 {
		return usagef("give one transaction hash: ticketbooth ledger receipt HASH")
	}
	s, err := open(c)
	if err != nil {
		return err
	}
	defer s.close()
	rc, err := s.svc.Receipt(s.ctx, c.Args().First())
	if err != nil {
		return err
	}
	return s.print(rc, func(w io.Writer) {
		fmt.Fprintf(w, "transaction %s\nkind        %s\ncontract    %s\nheight      %d\ntime        %s\nactor       %s\neffect      %s\n",
			rc.TransactionHash, rc.Kind, rc.Contract, rc.Height, rc.Time.Local().Format(time.RFC3339), rc.Actor, clipText(string(rc.Effect), 400))
		if rc.Block != nil {
			fmt.Fprintf(w, "block       %d %s\n", rc.Block.Height, rc.Block.Hash)
		} else {
			fmt.Fprintln(w, "block       not sealed yet")
		}
	})
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
