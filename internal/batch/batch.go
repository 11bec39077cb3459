package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/internal/batchfile"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// issueChunk is how many seats one batch transaction reserves.
const issueChunk = 200

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

// batch issues seats chunk by chunk, recording each chunk in the batch file before it is
// sold, and prints every issued ticket into one PDF.
type batch struct {
	s        *session
	c        *cli.Context
	header   batchfile.Header
	pdf      string // the PDF's path
	layout   issuer.Layout
	contract ledger.Contract
	clock    ledger.Clock
	seller   issuer.PreparedSeller
	log      *batchfile.Log
	qrOut    *qrWriter
	prog     *progress
	issued   int // tickets issued, by earlier runs too
	next     int // the next chunk's number
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
	b := &batch{s: s, c: c, pdf: out, layout: layout, header: batchfile.Header{Contract: address, Sender: c.String("sender"),
		CustomerName: c.String("name"), Layout: c.String("layout"), PDF: filepath.Base(out),
		AllAvailable: c.Bool("all-available"), Seats: seats}}
	if err := b.load(); err != nil {
		return err
	}
	if err := ledger.ValidateSender(b.header.Sender); err != nil {
		return err
	}
	if b.log, err = batchfile.Create(batchfile.PathFor(out), b.header); err != nil {
		return err
	}
	return b.finish(b.run(nil, seats))
}

// load reads what the batch needs of the ledger: the contract, its sale and the clock;
// and opens --qr-json.
func (b *batch) load() error {
	b.seller = b.s.prepared
	var err error
	if b.contract, err = b.s.svc.Contract(b.s.ctx, b.header.Contract); err != nil {
		return err
	}
	if b.contract.Sale == nil || !b.contract.Sale.Active {
		return ledger.Errorf(ledger.ECONFLICT, "contract %s has no active sale to issue tickets from", b.header.Contract)
	}
	if b.clock, err = b.s.clock(); err != nil {
		return err
	}
	if path := b.c.String("qr-json"); path != "" {
		if b.qrOut, err = newQRWriter(path); err != nil {
			return err
		}
	}
	return nil
}

// finish closes the batch: on success it reports the PDF; otherwise what was issued,
// where the QR texts are and the command that continues the batch.
func (b *batch) finish(err error) error {
	if cerr := b.qrOut.close(); err == nil {
		err = cerr
	}
	if cerr := b.log.Close(); err == nil {
		err = cerr
	}
	if b.prog != nil {
		b.prog.finish()
	}
	if err != nil {
		b.report(b.c.App.ErrWriter, err)
		return reported{err}
	}
	return b.s.print(map[string]any{"issued": b.issued, "out": b.pdf, "qrFile": b.log.Path}, func(w io.Writer) {
		fmt.Fprintf(w, "issued %d tickets to %s into %s (QR texts in %s)\n", b.issued, b.header.Sender, b.pdf, b.log.Path)
	})
}

// chunk is one reserved chunk laid out for printing, or the error that stopped the batch.
type chunk struct {
	sold    int
	printed []ticketpdf.PrintedTicket
	err     error
}

// run prints the purchases issued earlier, then sells the seats chunk by chunk in one
// goroutine while this one draws the chunks already sold into the PDF, so the ledger and
// the renderer work at the same time and memory holds only a couple of chunks. SIGINT
// and SIGTERM stop it between two chunks.
func (b *batch) run(earlier []issuer.Purchase, seats []ledger.Seat) error {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	f, err := os.CreateTemp(filepath.Dir(b.pdf), ".ticketbooth-*.pdf")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	pdf, err := ticketpdf.NewPDFStream(f, b.layout, ticketpdf.DefaultRecovery)
	if err != nil {
		return err
	}
	b.prog = newProgress(b.c.App.ErrWriter, "issuing", b.issued+len(seats))
	chunks := make(chan chunk, 2)
	done := make(chan struct{})
	go b.produce(earlier, seats, chunks, done, stop)
	var failed error
	for ch := range chunks { // drained to the end, so every sold ticket is counted
		b.issued += ch.sold
		if failed == nil {
			if failed = ch.err; failed == nil {
				failed = pdf.Write(ch.printed)
			}
			if failed != nil {
				close(done)
			}
		}
		b.prog.add(len(ch.printed))
	}
	if failed != nil {
		return failed
	}
	if err := pdf.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), b.pdf)
}

// produce sends the earlier purchases laid out, then sells the seats in chunks, one
// transaction each; it stops at the first error, a signal, or when done closes.
func (b *batch) produce(earlier []issuer.Purchase, seats []ledger.Seat, chunks chan<- chunk, done <-chan struct{}, stop <-chan os.Signal) {
	defer close(chunks)
	for _, p := range earlier {
		printed, err := ticketpdf.Printed(p, b.contract, b.clock)
		if !b.send(chunks, done, chunk{printed: printed, err: err}) {
			return
		}
	}
	for start := 0; start < len(seats); start += issueChunk {
		select {
		case sig := <-stop:
			b.send(chunks, done, chunk{err: interrupted{sig}})
			return
		default:
		}
		if !b.send(chunks, done, b.sell(seats[start:min(start+issueChunk, len(seats))])) {
			return
		}
	}
}

// send passes a chunk on (run drains the channel to the end, so every sold ticket is
// counted); false when the batch must stop.
func (b *batch) send(chunks chan<- chunk, done <-chan struct{}, ch chunk) bool {
	chunks <- ch
	select {
	case <-done:
		return false
	default:
		return ch.err == nil
	}
}

// sell seals one chunk, writes its QR texts to the batch file and onto the disk, and only
// then has the ledger sell it. A signal arriving meanwhile waits for the chunk to end.
func (b *batch) sell(seats []ledger.Seat) chunk {
	req := issuer.Request{Seats: seats, Sender: b.header.Sender, CustomerName: b.header.CustomerName, TicketsPerQR: 1}
	prep, err := issuer.Prepare(b.header.Contract, req, b.contract.Rules.RequireIdentityVerification)
	if err != nil {
		return chunk{err: err}
	}
	n := b.next
	b.next++
	if err := b.log.Pending(n, prep.Purchase); err != nil {
		return chunk{err: err}
	}
	p, err := b.seller.Sell(context.WithoutCancel(b.s.ctx), b.header.Contract, prep)
	if err != nil {
		return chunk{err: err}
	}
	ch := chunk{sold: len(p.Tickets)}
	if ch.err = b.log.Committed(n, p); ch.err == nil {
		if ch.err = b.qrOut.add(p); ch.err == nil {
			ch.printed, ch.err = ticketpdf.Printed(p, b.contract, b.clock)
		}
	}
	return ch
}

// interrupted is the signal that stopped a batch.
type interrupted struct{ sig os.Signal }

func (i interrupted) Error() string {
	name := "SIGTERM"
	if i.sig == os.Interrupt {
		name = "SIGINT"
	}
	return "the batch was interrupted (" + name + ")"
}

// reported is an error whose explanation the command has printed already; it keeps the
// exit status: 128+signal for an interruption, else that of the error.
type reported struct{ err error }

func (r reported) Error() string { return "" }

// ExitCode makes reported a cli.ExitCoder.
func (r reported) ExitCode() int {
	if i, ok := r.err.(interrupted); ok {
		if s, ok := i.sig.(syscall.Signal); ok {
			return 128 + int(s)
		}
	}
	return exitStatus(r.err)
}

// report tells what the batch issued before err stopped it and how to go on.
func (b *batch) report(w io.Writer, err error) {
	fmt.Fprintf(w, "ticketbooth: %s\n", oneLine(errorText(err)))
	if b.log == nil {
		return
	}
	total := len(b.header.Seats)
	fmt.Fprintf(w, "%d of %d tickets were issued to %s; their QR texts are in %s (the PDF %s was not written).\n",
		b.issued, total, b.header.Sender, b.log.Path, b.pdf)
	fmt.Fprintf(w, "To print them and issue the other %d seats, run:\n    %s\n", total-b.issued, b.resumeCommand())
}

// resumeCommand is the command line that finishes this batch, on the same ledger. It
// never shows an API key.
func (b *batch) resumeCommand() string {
	args := []string{"ticketbooth", "issue"}
	if url := b.c.String("server"); url != "" {
		key := `"$TICKETBOOTH_KEY"`
		if os.Getenv("TICKETBOOTH_KEY") == "" {
			key = "YOUR_KEY"
		}
		args = append(args, "--server", shellQuote(url), "--key", key)
	} else {
		args = append(args, "--db", shellQuote(b.c.String("db")))
	}
	return strings.Join(append(args, "--resume", shellQuote(b.log.Path)), " ")
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

// availableSeats returns the seats of the contract's ticket list nobody holds.
func availableSeats(s *session, address string) ([]ledger.Seat, error) {
	tickets, err := s.svc.Tickets(s.ctx, address)
	if err != nil {
		return nil, err
	}
	var seats []ledger.Seat
	for _, t := range tickets {
		if t.Address == ledger.ZeroAddress {
			seats = append(seats, t.Seat)
		}
	}
	return seats, nil
}
