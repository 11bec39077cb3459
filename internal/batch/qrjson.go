package main

import (
	"bufio"
	"encoding/json"
	"os"

	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

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
