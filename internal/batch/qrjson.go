package batch

import (
	"bufio"
	"encoding/json"
	"os"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// QRFile streams the QR texts of a batch into a JSON array file as they are sold, so
// the secrets survive whatever happens after.
type QRFile struct {
	f     *os.File
	w     *bufio.Writer
	count int
}

// QREntry is one ticket in the QR file, as scripts read it back.
type QREntry struct {
	Seat            ledger.Seat `json:"seat"`
	Reference       string      `json:"reference"`
	TransactionHash string      `json:"transactionHash"`
	QR              string      `json:"qr"`
}

// CreateQRFile creates (or empties) the file at path, readable by its owner only, and
// starts the array; the error is the file system's.
func CreateQRFile(path string) (*QRFile, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	q := &QRFile{f: f, w: bufio.NewWriter(f)}
	_, err = q.w.WriteString("[\n")
	return q, err
}

// add writes the purchase's QR texts, one entry a ticket, and flushes them.
func (q *QRFile) add(p issuer.Purchase) error {
	if q == nil {
		return nil
	}
	for i, text := range p.QR {
		b, err := json.Marshal(QREntry{Seat: p.Tickets[i].Seat, Reference: issuer.Reference(p.TransactionHash),
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

// close ends the array and closes the file; a nil QRFile is already closed.
func (q *QRFile) close() error {
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
