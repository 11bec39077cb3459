package main

import (
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/internal/batch"
	"github.com/ticketbooth-go/ticketbooth/internal/batchfile"
	"github.com/ticketbooth-go/ticketbooth/issuer"
)

// resumeBatch finishes the batch recorded in --resume FILE: it settles the chunks a crash
// left pending against the ledger, prints every issued ticket into the PDF again and
// issues the seats still missing, as the batch file's header says.
func resumeBatch(c *cli.Context) error {
	path := c.String("resume")
	bf, err := batchfile.Read(path)
	if err != nil {
		return err
	}
	if err := resumeFlags(c, bf.Header); err != nil {
		return err
	}
	s, err := open(c)
	if err != nil {
		return err
	}
	defer s.close()
	h := bf.Header
	b := &batch.Batch{Header: h, PDF: filepath.Join(filepath.Dir(path), h.PDF)}
	if b.Layout, err = issuer.ParseLayout(h.Layout); err != nil {
		return err
	}
	if err := loadBatch(c, s, b); err != nil {
		return err
	}
	if b.Log, err = batchfile.Append(path, bf); err != nil {
		return err
	}
	return finishBatch(c, s, b, b.Resume(s.ctx, bf))
}

// resumeFlags refuses flags that --resume takes from the batch file. --contract and
// --sender (which may come from the environment) are accepted when they agree with it.
func resumeFlags(c *cli.Context, h batchfile.Header) error {
	for _, f := range []string{"seats", "all-available", "name", "out", "layout", "qr-json"} {
		if c.IsSet(f) {
			return usagef("--resume takes the seats, name, PDF and layout from the batch file: drop --%s", f)
		}
	}
	if c.IsSet("contract") && c.String("contract") != h.Contract {
		return usagef("the batch file is for contract %s, not %s", h.Contract, c.String("contract"))
	}
	if c.IsSet("sender") && c.String("sender") != h.Sender {
		return usagef("the batch file issues to sender %q, not %q", h.Sender, c.String("sender"))
	}
	return nil
}
