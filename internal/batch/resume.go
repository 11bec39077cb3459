package batch

import (
	"context"
	"fmt"
	"strings"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/internal/batchfile"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/scanner"
)

// Resume finishes the batch read back from its file (whose Log the caller opened for
// appending): it settles the chunks a crash left pending against the ledger, prints every
// issued ticket into the PDF again and issues the seats still missing, as the file's
// header says. It stops as Issue does.
func (b *Batch) Resume(ctx context.Context, bf *batchfile.File) error {
	b.next = len(bf.Chunks)
	earlier, missing, err := b.settle(ctx, bf)
	if err != nil {
		return err
	}
	return b.run(ctx, earlier, missing)
}

// settle decides each pending chunk by the ticket list: recovered when the ledger holds
// its tickets' ciphertexts, dropped when not, and records that in the batch file. It
// returns the purchases issued so far and the seats still to issue.
func (b *Batch) settle(ctx context.Context, bf *batchfile.File) ([]issuer.Purchase, []ledger.Seat, error) {
	tickets, err := b.Ledger.Tickets(ctx, b.Header.Contract)
	if err != nil {
		return nil, nil, err
	}
	sold := make(map[string]ledger.Ticket, len(tickets))
	for _, t := range tickets {
		sold[t.Seat.Key()] = t
	}
	height, err := b.height(ctx)
	if err != nil {
		return nil, nil, err
	}
	var earlier []issuer.Purchase
	issued := map[string]bool{}
	for _, ch := range bf.Chunks {
		if ch.State == batchfile.Pending {
			if err := b.settleChunk(ch, sold, height); err != nil {
				return nil, nil, err
			}
		}
		if ch.State == batchfile.Dropped {
			continue
		}
		p, err := b.purchase(ch)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range p.Tickets {
			issued[t.Seat.Key()] = true
		}
		b.Issued += len(p.Tickets)
		earlier = append(earlier, p)
	}
	return earlier, b.missing(issued, sold), nil
}

// settleChunk records a pending chunk as recovered (its tickets are on the ledger with
// its secrets) or dropped (they are not: it was never sold).
func (b *Batch) settleChunk(ch *batchfile.Chunk, sold map[string]ledger.Ticket, height int64) error {
	rec := batchfile.Record{Chunk: ch.Chunk, State: batchfile.Dropped}
	prices := make([]int64, 0, len(ch.Written))
	for _, t := range ch.Written {
		lt, ok := sold[t.Seat.Key()]
		if !ok || !soldWith(lt, t.QR) {
			break
		}
		prices = append(prices, lt.Price)
	}
	if len(prices) == len(ch.Written) {
		rec = batchfile.Record{Chunk: ch.Chunk, State: batchfile.Recovered, Height: height, Prices: prices}
	}
	ch.Record = rec
	return b.Log.Settle(rec)
}

// soldWith reports whether the ledger's ticket is the one sold with this QR text: its
// published ciphertext is the QR's secret sealed under the QR's key and IV, which are
// fresh for every ticket and known only to this batch.
func soldWith(t ledger.Ticket, qr string) bool {
	q, err := scanner.ParseQR(qr)
	if err != nil || len(q) != 1 || t.Address == ledger.ZeroAddress {
		return false
	}
	key, err := crypto.DecodeHex(q[0].SecretKey, crypto.KeySize)
	if err != nil {
		return false
	}
	iv, err := crypto.DecodeHex(q[0].SecretIV, crypto.IVSize)
	if err != nil {
		return false
	}
	ct, err := crypto.Encrypt(key, iv, []byte(q[0].Secret))
	return err == nil && strings.EqualFold(crypto.EncodeHex(ct), t.Secret)
}

// purchase rebuilds a committed or recovered chunk's purchase for printing.
func (b *Batch) purchase(ch *batchfile.Chunk) (issuer.Purchase, error) {
	if len(ch.Prices) != len(ch.Written) {
		return issuer.Purchase{}, ledger.Errorf(ledger.EINVALID, "chunk %d of the batch file has %d tickets but %d prices", ch.Chunk, len(ch.Written), len(ch.Prices))
	}
	p := issuer.Purchase{Contract: b.Header.Contract, Sender: b.Header.Sender, TransactionHash: ch.TransactionHash,
		Height: ch.Height, TicketsPerQR: 1}
	for i, t := range ch.Written {
		q, err := scanner.ParseQR(t.QR)
		if err != nil || len(q) != 1 || q[0].Seat != t.Seat {
			return issuer.Purchase{}, ledger.Errorf(ledger.EINVALID, "chunk %d of the batch file: the QR text of seat %s is damaged", ch.Chunk, t.Seat)
		}
		if q[0].NameKey != "" {
			p.CustomerName = b.Header.CustomerName
		}
		p.Tickets = append(p.Tickets, issuer.IssuedTicket{Seat: t.Seat, Price: ch.Prices[i]})
		p.QR = append(p.QR, t.QR)
	}
	return p, nil
}

// missing returns the header's seats not issued yet; for --all-available only those
// still available (others may have bought or booked some meanwhile).
func (b *Batch) missing(issued map[string]bool, tickets map[string]ledger.Ticket) []ledger.Seat {
	var out []ledger.Seat
	for _, seat := range b.Header.Seats {
		if issued[seat.Key()] {
			continue
		}
		if t, ok := tickets[seat.Key()]; b.Header.AllAvailable && ok && !t.Available() {
			continue
		}
		out = append(out, seat)
	}
	return out
}

// height is the ledger's current height: an upper bound of a recovered chunk's height.
func (b *Batch) height(ctx context.Context) (int64, error) {
	info, err := b.Ledger.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("reading the ledger's height: %w", err)
	}
	return info.Height, nil
}
