package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// issueChunk is how many seats one batch transaction reserves.
const issueChunk = 200

func issueCommand() *cli.Command {
	return &cli.Command{
		Name:  "issue",
		Usage: "reserve many seats for one purchaser (a box office, a sponsor) and print them into one PDF",
		UsageText: "ticketbooth issue --contract ADDR (--seats 1A,2A,... | --all-available) --sender ACCOUNT [--name NAME]\n" +
			"     --out tickets.pdf [--layout a4|a6] [--qr-json qr.json]",
		Flags: append(connFlags(), contractFlag(),
			&cli.StringFlag{Name: "seats", Usage: "comma-separated seats to issue"},
			&cli.BoolFlag{Name: "all-available", Usage: "issue every seat still available"},
			senderFlag(), customerNameFlag(),
			&cli.StringFlag{Name: "out", Required: true, Usage: "the PDF `FILE` to write"},
			&cli.StringFlag{Name: "layout", Value: "a6", Usage: "a4 (one ticket a page) or a6 (ticket stock)"},
			&cli.StringFlag{Name: "qr-json", Usage: "also write every ticket's QR text to this JSON `FILE`, for re-delivery"},
		),
		Action: contractAction(issueBatch),
	}
}

type batch struct {
	s        *session
	address  string
	req      issuer.Request
	contract ledger.Contract
	clock    ledger.Clock
	qrOut    *qrWriter
	prog     *progress
}

func issueBatch(c *cli.Context, s *session, address string) error {
	if c.IsSet("seats") == c.Bool("all-available") {
		return usagef("give exactly one of --seats or --all-available")
	}
	out := c.String("out")
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
	b := &batch{s: s, address: address, req: issuer.Request{Sender: c.String("sender"), CustomerName: c.String("name"), TicketsPerQR: 1}}
	if b.contract, err = s.svc.Contract(s.ctx, address); err != nil {
		return err
	}
	if b.clock, err = s.clock(); err != nil {
		return err
	}
	if path := c.String("qr-json"); path != "" {
		if b.qrOut, err = newQRWriter(path); err != nil {
			return err
		}
	}
	b.prog = newProgress(c.App.ErrWriter, "issuing", len(seats))
	sold, err := b.run(seats, out, layout)
	if cerr := b.qrOut.close(); err == nil {
		err = cerr
	}
	b.prog.finish()
	if err != nil {
		return fmt.Errorf("%d of %d tickets were issued (see --qr-json for their QR texts), then: %w", sold, len(seats), err)
	}
	return s.print(map[string]any{"issued": sold, "out": out}, func(w io.Writer) {
		fmt.Fprintf(w, "issued %d tickets to %s into %s\n", sold, b.req.Sender, out)
	})
}

// chunk is one reserved chunk laid out for printing, or the error that stopped the batch.
type chunk struct {
	sold    int
	printed []issuer.PrintedTicket
	err     error
}

// run reserves the seats chunk by chunk in one goroutine while this one draws the chunks
// already sold into the PDF, so the ledger and the renderer work at the same time and
// memory holds only a couple of chunks. It returns how many tickets were sold.
func (b *batch) run(seats []ledger.Seat, out string, layout issuer.Layout) (int, error) {
	f, err := os.CreateTemp(filepath.Dir(out), ".ticketbooth-*.pdf")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	pdf, err := issuer.NewPDFStream(f, layout, issuer.DefaultRecovery)
	if err != nil {
		return 0, err
	}
	chunks := make(chan chunk, 2)
	done := make(chan struct{})
	go b.reserveAll(seats, chunks, done)
	sold := 0
	var failed error
	for ch := range chunks { // drained to the end, so every sold ticket is counted
		sold += ch.sold
		if failed == nil {
			failed = ch.err
			if failed == nil {
				failed = pdf.Write(ch.printed)
			}
			if failed != nil {
				close(done)
			}
		}
		b.prog.add(len(ch.printed))
	}
	if failed != nil {
		return sold, failed
	}
	if err := pdf.Close(); err != nil {
		return sold, err
	}
	if err := f.Close(); err != nil {
		return sold, err
	}
	return sold, os.Rename(f.Name(), out)
}

// reserveAll reserves the seats in chunks, one transaction each, records each chunk's QR
// texts and sends it on, laid out; it stops at the first error or when done closes.
func (b *batch) reserveAll(seats []ledger.Seat, chunks chan<- chunk, done <-chan struct{}) {
	defer close(chunks)
	for start := 0; start < len(seats); start += issueChunk {
		req := b.req
		req.Seats = seats[start:min(start+issueChunk, len(seats))]
		ch := b.reserve(req)
		select {
		case chunks <- ch:
		case <-done:
			return
		}
		if ch.err != nil {
			return
		}
	}
}

func (b *batch) reserve(req issuer.Request) chunk {
	p, err := b.s.sell.Reserve(b.s.ctx, b.address, req)
	if err != nil {
		return chunk{err: err}
	}
	ch := chunk{sold: len(p.Tickets)}
	if ch.err = b.qrOut.add(p); ch.err == nil {
		ch.printed, ch.err = issuer.Printed(p, b.contract, b.clock)
	}
	return ch
}

// qrWriter streams the QR texts of a batch into a JSON array file as they are sold, so
// the secrets survive whatever happens after.
type qrWriter struct {
	f     *os.File
	w     *bufio.Writer
	count int
}

type qrEntry struct {
	Seat            ledger.Seat `json:"seat"`
	Reference       string      `json:"reference"`
	TransactionHash string      `json:"transactionHash"`
	QR              string      `json:"qr"`
}

func newQRWriter(path string) (*qrWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, usagef("cannot write --qr-json: %v", err)
	}
	q := &qrWriter{f: f, w: bufio.NewWriter(f)}
	_, err = q.w.WriteString("[\n")
	return q, err
}

func (q *qrWriter) add(p issuer.Purchase) error {
	if q == nil {
		return nil
	}
	for i, text := range p.QR {
		b, err := json.Marshal(qrEntry{Seat: p.Tickets[i].Seat, Reference: issuer.Reference(p.TransactionHash),
			TransactionHash: p.TransactionHash, QR: text})
		if err != nil {
			return err
		}
		if q.count > 0 {
			q.w.WriteString(",\n")
		}
		q.count++
		if _, err := q.w.Write(b); err != nil {
			return err
		}
	}
	return q.w.Flush()
}

func (q *qrWriter) close() error {
	if q == nil {
		return nil
	}
	q.w.WriteString("\n]\n")
	if err := q.w.Flush(); err != nil {
		q.f.Close()
		return err
	}
	return q.f.Close()
}

// batchSeats returns the seats the flags name: a list, or every available seat.
func batchSeats(c *cli.Context, s *session, address string) ([]ledger.Seat, error) {
	if c.IsSet("seats") {
		return parseSeatList(c.String("seats"))
	}
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
	if len(seats) == 0 {
		return nil, ledger.Errorf(ledger.ECONFLICT, "no seat of contract %s is available", address)
	}
	return seats, nil
}
