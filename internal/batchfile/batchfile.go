package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The batch file (OUT.qr.jsonl beside the PDF) is the batch's own record, one JSON object
// a line: a header naming the contract, purchaser, layout and every seat asked for, then
// for each chunk of seats a "pending" line with its tickets' QR texts, written and
// fsync'ed before the chunk is sold, and a "committed" line with the sale's transaction
// once it is. A chunk left pending by a crash is settled on --resume against the ticket
// list: "recovered" when the ledger holds its tickets' ciphertexts, "dropped" when not.
const batchFormat = "ticketbooth-batch/1"

// The states of a chunk in the batch file.
const (
	chunkPending   = "pending"
	chunkCommitted = "committed"
	chunkRecovered = "recovered" // sold, found on --resume; its transaction is unknown
	chunkDropped   = "dropped"   // never sold
)

// batchHeader is the first line: what the batch is to issue, so --resume needs nothing else.
type batchHeader struct {
	Format       string        `json:"format"`
	Contract     string        `json:"contract"`
	Sender       string        `json:"sender"`
	CustomerName string        `json:"customerName,omitempty"`
	Layout       string        `json:"layout"`
	PDF          string        `json:"pdf"` // the PDF's file name, beside the batch file
	AllAvailable bool          `json:"allAvailable,omitempty"`
	Seats        []ledger.Seat `json:"seats"`
}

// batchRecord is one line after the header: a chunk's tickets (pending) or what became
// of the chunk.
type batchRecord struct {
	Chunk           int           `json:"chunk"`
	State           string        `json:"state"`
	Tickets         []batchTicket `json:"tickets,omitempty"`
	TransactionHash string        `json:"transactionHash,omitempty"`
	Height          int64         `json:"height,omitempty"`
	Prices          []int64       `json:"prices,omitempty"`
}

// batchTicket is one ticket of a chunk: its seat and its QR text (one ticket per QR).
type batchTicket struct {
	Seat ledger.Seat `json:"seat"`
	QR   string      `json:"qr"`
}

// batchChunk is a chunk as read back: its tickets and latest state.
type batchChunk struct {
	batchRecord
	tickets []batchTicket
}

// batchLog is an open batch file, appended to line by line.
type batchLog struct {
	f    *os.File
	path string
}

// batchFileFor returns the batch file's name for a PDF: tickets.pdf -> tickets.qr.jsonl.
func batchFileFor(pdf string) string {
	return strings.TrimSuffix(pdf, filepath.Ext(pdf)) + ".qr.jsonl"
}

// createBatchLog creates the batch file (never over an existing one: it may hold the
// only copy of sold tickets) and writes its header durably.
func createBatchLog(path string, h batchHeader) (*batchLog, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, ledger.Errorf(ledger.ECONFLICT, "%s already exists and may hold the only copy of sold tickets: "+
			"finish that batch with 'ticketbooth issue --resume %s', or move the file away", path, path)
	}
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "cannot write the batch file: %v", err)
	}
	l := &batchLog{f: f, path: path}
	h.Format = batchFormat
	if err := l.write(h, true); err != nil {
		f.Close()
		return nil, err
	}
	return l, syncDir(filepath.Dir(path))
}

// write appends v as one line in one write; durable waits until it is on disk.
func (l *batchLog) write(v any, durable bool) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := l.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("writing the batch file %s: %w", l.path, err)
	}
	if durable {
		if err := l.f.Sync(); err != nil {
			return fmt.Errorf("writing the batch file %s: %w", l.path, err)
		}
	}
	return nil
}

// pending records a chunk's tickets, on disk before the chunk is sold.
func (l *batchLog) pending(n int, p issuer.Purchase) error {
	rec := batchRecord{Chunk: n, State: chunkPending, Tickets: make([]batchTicket, len(p.Tickets))}
	for i, t := range p.Tickets {
		rec.Tickets[i] = batchTicket{Seat: t.Seat, QR: p.QR[i]}
	}
	return l.write(rec, true)
}

// committed records a chunk's sale. It need not reach the disk before the next chunk:
// a chunk found pending is checked against the ledger on --resume.
func (l *batchLog) committed(n int, p issuer.Purchase) error {
	rec := batchRecord{Chunk: n, State: chunkCommitted, TransactionHash: p.TransactionHash, Height: p.Height}
	for _, t := range p.Tickets {
		rec.Prices = append(rec.Prices, t.Price)
	}
	return l.write(rec, false)
}

func (l *batchLog) close() error {
	if l == nil {
		return nil
	}
	err := l.f.Sync()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// batchFile is a batch file read back.
type batchFile struct {
	header batchHeader
	chunks []*batchChunk // by chunk number
	size   int64         // bytes in whole lines; a torn last line lies beyond
}

// readBatchFile reads a batch file. A last line without its newline was cut by a crash
// while being written and is left out (a pending line is written before its chunk is
// sold, so nothing of it was sold). EINVALID when the file is not a batch file or a
// line in the middle is damaged.
func readBatchFile(path string) (*batchFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "cannot read the batch file: %v", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	bf := &batchFile{}
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if err == io.EOF {
			break // an empty or torn last line
		}
		if err != nil {
			return nil, ledger.Errorf(ledger.EINVALID, "cannot read the batch file: %v", err)
		}
		if err := bf.add(line, n); err != nil {
			return nil, ledger.Errorf(ledger.EINVALID, "%s, line %d: %v", path, n, err)
		}
		bf.size += int64(len(line))
	}
	if bf.header.Format == "" {
		return nil, ledger.Errorf(ledger.EINVALID, "%s has no batch header: nothing was sold from it", path)
	}
	return bf, nil
}

// add reads one whole line: the header first, then chunk records in order.
func (bf *batchFile) add(line []byte, n int) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if n == 1 {
		if err := dec.Decode(&bf.header); err != nil || bf.header.Format != batchFormat {
			return fmt.Errorf("not a ticketbooth batch file (%s)", batchFormat)
		}
		return nil
	}
	var rec batchRecord
	if err := dec.Decode(&rec); err != nil {
		return fmt.Errorf("damaged: %v", err)
	}
	switch {
	case rec.State == chunkPending && rec.Chunk == len(bf.chunks):
		bf.chunks = append(bf.chunks, &batchChunk{batchRecord: rec, tickets: rec.Tickets})
	case rec.State != chunkPending && rec.Chunk >= 0 && rec.Chunk < len(bf.chunks):
		bf.chunks[rec.Chunk].batchRecord = rec
	default:
		return fmt.Errorf("chunk %d %s out of order", rec.Chunk, rec.State)
	}
	return nil
}

// openBatchLog opens a batch file read back for appending, cutting off a torn last line.
func openBatchLog(path string, bf *batchFile) (*batchLog, error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0o600)
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "cannot write the batch file: %v", err)
	}
	if err := f.Truncate(bf.size); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(bf.size, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &batchLog{f: f, path: path}, nil
}
