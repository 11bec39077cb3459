package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/internal/batch"
	"github.com/ticketbooth-go/ticketbooth/internal/batchfile"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func issueCommand() *cli.Command {
	return &cli.Command{
		Name:  "issue",
		Usage: "reserve many seats for one purchaser (a box office, a sponsor) and print them into one PDF",
		UsageText: "ticketbooth issue --contract ADDR (--seats 1A,2A,... | --all-available) --sender ACCOUNT [--name NAME]\n" +
			"     --out tickets.pdf [--layout a4|a6] [--qr-json qr.json]\n" +
			"   ticketbooth issue --resume tickets.qr.jsonl   (finish an interrupted batch)\n" +
			"   Every ticket's QR text is written to OUT.qr.jsonl before its seat is sold.",
		Flags: append(connFlags(), contractFlag(),
			&cli.StringSliceFlag{Name: "seats", Aliases: []string{"seat"}, Usage: "seats to issue: comma-separated, or the flag repeated"},
			&cli.BoolFlag{Name: "all-available", Usage: "issue every seat still available"},
			optionalSender(), customerNameFlag(),
			&cli.StringFlag{Name: "out", Usage: "the PDF `FILE` to write; the QR texts go to FILE.qr.jsonl beside it"},
			&cli.StringFlag{Name: "layout", Value: "a6", Usage: "a4 (one ticket a page) or a6 (ticket stock)"},
			&cli.StringFlag{Name: "qr-json", Usage: "also write every ticket's QR text to this JSON `FILE`, for re-delivery"},
			&cli.StringFlag{Name: "resume", Usage: "finish the batch recorded in this .qr.jsonl `FILE`: print its PDF and issue the seats still missing"},
		),
		Action: func(c *cli.Context) error {
			if c.IsSet("resume") {
				return resumeBatch(c)
			}
			return contractAction(issueBatch)(c)
		},
	}
}

// optionalSender is --sender, required by issueBatch rather than by the flag, since
// --resume takes it from the batch file.
func optionalSender() cli.Flag {
	f := senderFlag().(*cli.StringFlag)
	f.Required = false
	return f
}

func issueBatch(c *cli.Context, s *session, address string) error {
	if c.IsSet("seats") == c.Bool("all-available") {
		return usagef("give exactly one of --seats or --all-available")
	}
	out := c.String("out")
	if out == "" {
		return usagef("--out FILE.pdf is required (or --resume FILE.qr.jsonl)")
	}
	if strings.ToLower(filepath.Ext(out)) != ".pdf" {
		return usagef("--out %s: the batch is written as a .pdf", out)
	}
	layout, err := issuer.ParseLayout(c.String("layout"))
	if err != nil {
		return err
	}
	seats, err := batchSeats(c, s, address)
	if err != nil {
		return err
	}
	b := &batch.Batch{PDF: out, Layout: layout, Header: batchfile.Header{Contract: address, Sender: c.String("sender"),
		CustomerName: c.String("name"), Layout: c.String("layout"), PDF: filepath.Base(out),
		AllAvailable: c.Bool("all-available"), Seats: seats}}
	if err := loadBatch(c, s, b); err != nil {
		return err
	}
	if err := ledger.ValidateSender(b.Header.Sender); err != nil {
		return err
	}
	if b.Log, err = batchfile.Create(batchfile.PathFor(out), b.Header); err != nil {
		return err
	}
	return finishBatch(c, s, b, b.Issue(s.ctx, seats))
}

// loadBatch reads what the batch needs of the ledger (the contract, its sale and the
// clock) and opens --qr-json.
func loadBatch(c *cli.Context, s *session, b *batch.Batch) error {
	b.Ledger, b.Seller, b.Progress = s.svc, s.prepared, c.App.ErrWriter
	if err := b.Load(s.ctx); err != nil {
		return err
	}
	var err error
	if b.Clock, err = s.clock(); err != nil {
		return err
	}
	if path := c.String("qr-json"); path != "" {
		if b.QR, err = batch.CreateQRFile(path); err != nil {
			return usagef("cannot write --qr-json: %v", err)
		}
	}
	return nil
}

// finishBatch closes the batch: on success it reports the PDF; otherwise what was
// issued, where the QR texts are and the command that continues the batch.
func finishBatch(c *cli.Context, s *session, b *batch.Batch, err error) error {
	if cerr := b.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		reportBatch(c, b, err)
		return reported{err}
	}
	return s.print(map[string]any{"issued": b.Issued, "out": b.PDF, "qrFile": b.Log.Path}, func(w io.Writer) {
		fmt.Fprintf(w, "issued %d tickets to %s into %s (QR texts in %s)\n", b.Issued, b.Header.Sender, b.PDF, b.Log.Path)
	})
}

// reported is an error whose explanation the command has printed already; it keeps the
// exit status: 128+signal for an interruption, else that of the error.
type reported struct{ err error }

func (r reported) Error() string { return "" }

// ExitCode makes reported a cli.ExitCoder.
func (r reported) ExitCode() int {
	if i, ok := r.err.(batch.Interrupted); ok {
		if s, ok := i.Signal.(syscall.Signal); ok {
			return 128 + int(s)
		}
	}
	return exitStatus(r.err)
}

// reportBatch tells what the batch issued before err stopped it and how to go on.
func reportBatch(c *cli.Context, b *batch.Batch, err error) {
	w := c.App.ErrWriter
	fmt.Fprintf(w, "ticketbooth: %s\n", oneLine(errorText(err)))
	if b.Log == nil {
		return
	}
	total := len(b.Header.Seats)
	fmt.Fprintf(w, "%d of %d tickets were issued to %s; their QR texts are in %s (the PDF %s was not written).\n",
		b.Issued, total, b.Header.Sender, b.Log.Path, b.PDF)
	fmt.Fprintf(w, "To print them and issue the other %d seats, run:\n    %s\n", total-b.Issued, resumeCommand(c, b.Log.Path))
}

// resumeCommand is the command line that finishes the batch of this batch file, on the
// same ledger. It never shows an API key.
func resumeCommand(c *cli.Context, file string) string {
	args := []string{"ticketbooth", "issue"}
	if url := c.String("server"); url != "" {
		key := `"$TICKETBOOTH_KEY"`
		if os.Getenv("TICKETBOOTH_KEY") == "" {
			key = "YOUR_KEY"
		}
		args = append(args, "--server", shellQuote(url), "--key", key)
	} else {
		args = append(args, "--db", shellQuote(c.String("db")))
	}
	return strings.Join(append(args, "--resume", shellQuote(file)), " ")
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/:=@+-,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// batchSeats returns the seats the flags name: a list, or every available seat.
func batchSeats(c *cli.Context, s *session, address string) ([]ledger.Seat, error) {
	if c.IsSet("seats") {
		return parseSeatList(strings.Join(c.StringSlice("seats"), ","))
	}
	seats, err := availableSeats(s, address)
	if err == nil && len(seats) == 0 {
		err = ledger.Errorf(ledger.ECONFLICT, "no seat of contract %s is available", address)
	}
	return seats, err
}

// availableSeats returns the seats of the contract's ticket list nobody holds: neither a
// buyer nor a booking.
func availableSeats(s *session, address string) ([]ledger.Seat, error) {
	tickets, err := s.svc.Tickets(s.ctx, address)
	if err != nil {
		return nil, err
	}
	var seats []ledger.Seat
	for _, t := range tickets {
		if t.Available() {
			seats = append(seats, t.Seat)
		}
	}
	return seats, nil
}
