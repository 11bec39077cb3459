package main

import (
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"
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
				Name:   "verify",
				Usage:  "check every transaction hash, Merkle root and block link; exit 1 when any fails",
				Flags:  connFlags(),
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
	rep, err := s.svc.Verify(s.ctx)
	if err != nil {
		return err
	}
	err = s.print(rep, func(w io.Writer) {
		for _, p := range rep.Problems {
			fmt.Fprintf(w, "PROBLEM: %s\n", p)
		}
		verdict := "ledger verified"
		if !rep.OK {
			verdict = "LEDGER FAILED VERIFICATION"
		}
		fmt.Fprintf(w, "%s: %d transactions, %d sealed blocks, height %d\n", verdict, rep.Transactions, rep.Blocks, rep.Height)
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
