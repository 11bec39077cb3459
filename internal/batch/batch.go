package batch

import (
	"context"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/ticketbooth-go/ticketbooth/internal/batchfile"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// chunkSize is how many seats one batch transaction reserves.
const chunkSize = 200

// Ledger is what a batch reads of the ledger: the contract and its sale, and, to settle
// the chunks a crash left pending, the ticket list and the height.
type Ledger interface {
	Contract(ctx context.Context, address string) (ledger.Contract, error)
	Tickets(ctx context.Context, address string) ([]ledger.Ticket, error)
	Info(ctx context.Context) (ledger.Info, error)
}

// Batch issues seats chunk by chunk, recording each chunk in the batch file before it is
// sold, and prints every issued ticket into one PDF. Set its fields, Load it, Issue or
// Resume it once, then Close it.
type Batch struct {
	Ledger   Ledger
	Seller   issuer.PreparedSeller // sells what the batch sealed and wrote down first
	Clock    ledger.Clock
	Header   batchfile.Header // what to issue, as the batch file's first line says
	PDF      string           // the PDF's path
	Layout   issuer.Layout
	Log      *batchfile.Log // the batch file, created or opened for appending by the caller
	QR       *QRFile        // also every ticket's QR text (--qr-json); nil for none
	Progress io.Writer      // where progress is drawn: a bar on a terminal, else a line every 10%
	Issued   int            // tickets issued, by earlier runs too

	contract ledger.Contract
	prog     *progress
	next     int // the next chunk's number
}

// Load reads the contract the batch issues from; ECONFLICT when it has no active sale.
func (b *Batch) Load(ctx context.Context) error {
	var err error
	if b.contract, err = b.Ledger.Contract(ctx, b.Header.Contract); err != nil {
		return err
	}
	if b.contract.Sale == nil || !b.contract.Sale.Active {
		return ledger.Errorf(ledger.ECONFLICT, "contract %s has no active sale to issue tickets from", b.Header.Contract)
	}
	return nil
}

// Issue issues the seats and writes the PDF. It stops at the first error, or at SIGINT or
// SIGTERM between two chunks (Interrupted); Issued counts what was sold either way.
func (b *Batch) Issue(ctx context.Context, seats []ledger.Seat) error {
	return b.run(ctx, nil, seats)
}

// Close ends the progress bar and closes the QR file and the batch file, returning the
// first error.
func (b *Batch) Close() error {
	err := b.QR.close()
	if cerr := b.Log.Close(); err == nil {
		err = cerr
	}
	if b.prog != nil {
		b.prog.finish()
	}
	return err
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
func (b *Batch) run(ctx context.Context, earlier []issuer.Purchase, seats []ledger.Seat) error {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	f, err := os.CreateTemp(filepath.Dir(b.PDF), ".ticketbooth-*.pdf")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	pdf, err := ticketpdf.NewPDFStream(f, b.Layout, ticketpdf.DefaultRecovery)
	if err != nil {
		return err
	}
	b.prog = newProgress(b.Progress, "issuing", b.Issued+len(seats))
	chunks := make(chan chunk, 2)
	done := make(chan struct{})
	go b.produce(ctx, earlier, seats, chunks, done, stop)
	var failed error
	for ch := range chunks { // drained to the end, so every sold ticket is counted
		b.Issued += ch.sold
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
	return os.Rename(f.Name(), b.PDF)
}

// produce sends the earlier purchases laid out, then sells the seats in chunks, one
// transaction each; it stops at the first error, a signal, or when done closes.
func (b *Batch) produce(ctx context.Context, earlier []issuer.Purchase, seats []ledger.Seat, chunks chan<- chunk, done <-chan struct{}, stop <-chan os.Signal) {
	defer close(chunks)
	for _, p := range earlier {
		printed, err := ticketpdf.Printed(p, b.contract, b.Clock)
		if !b.send(chunks, done, chunk{printed: printed, err: err}) {
			return
		}
	}
	for start := 0; start < len(seats); start += chunkSize {
		select {
		case sig := <-stop:
			b.send(chunks, done, chunk{err: Interrupted{sig}})
			return
		default:
		}
		if !b.send(chunks, done, b.sell(ctx, seats[start:min(start+chunkSize, len(seats))])) {
			return
		}
	}
}

// send passes a chunk on (run drains the channel to the end, so every sold ticket is
// counted); false when the batch must stop.
func (b *Batch) send(chunks chan<- chunk, done <-chan struct{}, ch chunk) bool {
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
func (b *Batch) sell(ctx context.Context, seats []ledger.Seat) chunk {
	req := issuer.Request{Seats: seats, Sender: b.Header.Sender, CustomerName: b.Header.CustomerName, TicketsPerQR: 1}
	prep, err := issuer.Prepare(b.Header.Contract, req, b.contract.Rules.RequireIdentityVerification)
	if err != nil {
		return chunk{err: err}
	}
	n := b.next
	b.next++
	if err := b.Log.Pending(n, prep.Purchase); err != nil {
		return chunk{err: err}
	}
	p, err := b.Seller.Sell(context.WithoutCancel(ctx), b.Header.Contract, prep)
	if err != nil {
		return chunk{err: err}
	}
	ch := chunk{sold: len(p.Tickets)}
	if ch.err = b.Log.Committed(n, p); ch.err == nil {
		if ch.err = b.QR.add(p); ch.err == nil {
			ch.printed, ch.err = ticketpdf.Printed(p, b.contract, b.Clock)
		}
	}
	return ch
}

// Interrupted is the signal that stopped a batch.
type Interrupted struct{ Signal os.Signal }

func (i Interrupted) Error() string {
	name := "SIGTERM"
	if i.Signal == os.Interrupt {
		name = "SIGINT"
	}
	return "the batch was interrupted (" + name + ")"
}
