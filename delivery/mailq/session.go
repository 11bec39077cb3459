package mailq

import (
	"context"
	"strconv"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// session is the worker's connection to its transport, opened when a mail is due and
// kept while mails follow.
type session struct {
	w    *Worker
	conn Conn
	sent int
}

// open opens the connection unless it is open.
func (s *session) open(ctx context.Context) error {
	if s.conn != nil {
		return nil
	}
	c, err := s.w.Transport.Open(ctx)
	if err != nil {
		return err
	}
	s.conn = c
	return nil
}

// send hands one mail over; after an error other than a refusal the connection is closed,
// to be opened afresh for the next mail.
func (s *session) send(ctx context.Context, m ledger.ClaimedMail) error {
	err := s.conn.Send(ctx, Envelope{ID: m.ID, Key: m.Key, From: s.w.From, To: m.To}, m.Message)
	if err == nil {
		s.sent++
		return nil
	}
	if _, refused := err.(*Refusal); !refused {
		s.close()
	}
	return err
}

// close ends the connection, if one is open.
func (s *session) close() {
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
