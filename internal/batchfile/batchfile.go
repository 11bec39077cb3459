package batchfile

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

// Format is the header's format field, naming this layout of the file.
const Format = "ticketbooth-batch/1"

// The states of a chunk in the batch file.
const (
	Pending   = "pending"   // written before the chunk is sold
	Committed = "committed" // sold; the line carries the transaction
	Recovered = "recovered" // sold, found on --resume; its transaction is unknown
	Dropped   = "dropped"   // never sold
)

// Header is the first line: what the batch is to issue, so --resume needs nothing else.
type Header struct {
	Format       string        `json:"format"`
	Contract     string        `json:"contract"`
	Sender       string        `json:"sender"`
	CustomerName string        `json:"customerName,omitempty"`
	Layout       string        `json:"layout"`
	PDF          string        `json:"pdf"` // the PDF's file name, beside the batch file
	AllAvailable bool          `json:"allAvailable,omitempty"`
	Seats        []ledger.Seat `json:"seats"`
}

// Record is one line after the header: a chunk's tickets (pending) or what became
// of the chunk.
type Record struct {
	Chunk           int      `json:"chunk"`
	State           string   `json:"state"`
	Tickets         []Ticket `json:"tickets,omitempty"`
	TransactionHash string   `json:"transactionHash,omitempty"`
	Height          int64    `json:"height,omitempty"`
	Prices          []int64  `json:"prices,omitempty"`
}

// Ticket is one ticket of a chunk: its seat and its QR text (one ticket per QR).
type Ticket struct {
	Seat ledger.Seat `json:"seat"`
	QR   string      `json:"qr"`
}

// Chunk is a chunk as read back: its tickets and latest state.
type Chunk struct {
	Record
	Written []Ticket // the tickets as its pending line wrote them
}

// Log is an open batch file, appended to line by line.
type Log struct {
	f    *os.File
	Path string
}

// PathFor returns the batch file's name for a PDF: tickets.pdf -> tickets.qr.jsonl.
func PathFor(pdf string) string {
	return strings.TrimSuffix(pdf, filepath.Ext(pdf)) + ".qr.jsonl"
}

// Create creates the batch file (never over an existing one: it may hold the
// only copy of sold tickets) and writes its header durably.
func Create(path string, h Header) (*Log, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, ledger.Errorf(ledger.ECONFLICT, "%s already exists and may hold the only copy of sold tickets: "+
			"finish that batch with 'ticketbooth issue --resume %s', or move the file away", path, path)
	}
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "cannot write the batch file: %v", err)
	}
	l := &Log{f: f, Path: path}
	h.Format = Format
	if err := l.write(h, true); err != nil {
		f.Close()
		return nil, err
	}
	return l, syncDir(filepath.Dir(path))
}

// write appends v as one line in one write; durable waits until it is on disk.
func (l *Log) write(v any, durable bool) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := l.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("writing the batch file %s: %w", l.Path, err)
	}
	if durable {
		if err := l.f.Sync(); err != nil {
			return fmt.Errorf("writing the batch file %s: %w", l.Path, err)
		}
	}
	return nil
}

// Pending records a chunk's tickets, on disk before the chunk is sold.
func (l *Log) Pending(n int, p issuer.Purchase) error {
	rec := Record{Chunk: n, State: Pending, Tickets: make([]Ticket, len(p.Tickets))}
	for i, t := range p.Tickets {
		rec.Tickets[i] = Ticket{Seat: t.Seat, QR: p.QR[i]}
	}
	return l.write(rec, true)
}

// Committed records a chunk's sale. It need not reach the disk before the next chunk:
// a chunk found pending is checked against the ledger on --resume.
func (l *Log) Committed(n int, p issuer.Purchase) error {
	rec := Record{Chunk: n, State: Committed, TransactionHash: p.TransactionHash, Height: p.Height}
	for _, t := range p.Tickets {
		rec.Prices = append(rec.Prices, t.Price)
	}
	return l.write(rec, false)
}

// Settle records what became of a pending chunk (Recovered or Dropped), on disk before it
// returns.
func (l *Log) Settle(rec Record) error { return l.write(rec, true) }

// Close syncs and closes the file; a nil Log is already closed.
func (l *Log) Close() error {
	if l == nil {
		return nil
	}
	err := l.f.Sync()
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir makes a new file's name in dir durable.
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

// File is a batch file read back.
type File struct {
	Header Header
	Chunks []*Chunk // by chunk number
	size   int64    // bytes in whole lines; a torn last line lies beyond
}

// Read reads a batch file. A last line without its newline was cut by a crash
// while being written and is left out (a pending line is written before its chunk is
// sold, so nothing of it was sold). EINVALID when the file is not a batch file or a
// line in the middle is damaged.
func Read(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, ledger.Errorf(ledger.EINVALID, "cannot read the batch file: %v", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	bf := &File{}
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
	if bf.Header.Format == "" {
		return nil, ledger.Errorf(ledger.EINVALID, "%s has no batch header: nothing was sold from it", path)
	}
	return bf, nil
}

// add reads one whole line: the header first, then chunk records in order.
func (bf *File) add(line []byte, n int) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if n == 1 {
		if err := dec.Decode(&bf.Header); err != nil || bf.Header.Format != Format {
			return fmt.Errorf("not a ticketbooth batch file (%s)", Format)
		}
		return nil
	}
	var rec Record
	if err := dec.Decode(&rec); err != nil {
		return fmt.Errorf("damaged: %v", err)
	}
	switch {
	case rec.State == Pending && rec.Chunk == len(bf.Chunks):
		bf.Chunks = append(bf.Chunks, &Chunk{Record: rec, Written: rec.Tickets})
	case rec.State != Pending && rec.Chunk >= 0 && rec.Chunk < len(bf.Chunks):
		bf.Chunks[rec.Chunk].Record = rec
	default:
		return fmt.Errorf("chunk %d %s out of order", rec.Chunk, rec.State)
	}
	return nil
}

// Append opens a batch file read back for appending, cutting off a torn last line.
func Append(path string, bf *File) (*Log, error) {
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
	return &Log{f: f, Path: path}, nil
}
