package mailq_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
	_ "time/tzdata" // the show's zone on any machine

	"github.com/ticketbooth-go/ticketbooth/delivery/mail"
	"github.com/ticketbooth-go/ticketbooth/delivery/mailq"
	"github.com/ticketbooth-go/ticketbooth/delivery/pkpass"
	"github.com/ticketbooth-go/ticketbooth/internal/passtest"
	"github.com/ticketbooth-go/ticketbooth/internal/smtptest"
	"github.com/ticketbooth-go/ticketbooth/issuer"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/ticketpdf"
)

// BenchmarkMailBatch is the target of issue 13: b.N confirmation e-mails, each with one
// A6 PDF ticket (its own fresh QR text) and one signed Wallet pass, built on every core,
// queued durably (sealed, in a SQLite ledger) and handed by the sender to a local SMTP
// server over one connection while they are being built. It reports mails/s over the
// whole batch, and the peak heap (memory stays bounded: the queue is on disk, not in memory).
//
//	go test -run XXX -bench BenchmarkMailBatch -benchtime 60000x ./delivery/mailq   # the target
//	go test -run XXX -bench BenchmarkMailBatch -benchtime 200x ./delivery/mailq     # a check
func BenchmarkMailBatch(b *testing.B) {
	st, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "ledger.db"), sqlstore.Options{DeliveryKey: deliveryKey})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	srv := smtptest.Start(b, smtptest.Options{Discard: true})
	w := &mailq.Worker{Spool: st.Mails, Transport: plain(srv), From: "tickets@theater.example", Batch: 100, Poll: 10 * time.Millisecond}
	gen := newMailMaker(b)
	peak := watchHeap()
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	build(b, gen, w.Queue(), b.N)
	srv.Wait(b, b.N, time.Hour)
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	b.StopTimer()
	stop()
	<-done
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "mails/s")
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(gen.size.Load())/float64(b.N)/1024, "KB/mail")
	b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/mail")
}

// build makes n mails on every core and queues them.
func build(b *testing.B, gen *mailMaker, q ledger.MailQueue, n int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				m, err := gen.mail(i)
				if err == nil {
					_, err = q.Enqueue(context.Background(), m)
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// mailMaker builds confirmation mails as the Courier does: the PDF on A6, one pass, the
// message in English.
type mailMaker struct {
	signer pkpass.Signer
	zone   *time.Location
	size   atomic.Int64
}

func newMailMaker(b *testing.B) *mailMaker {
	zone, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		b.Fatal(err)
	}
	return &mailMaker{signer: passtest.NewChain(b).Signer, zone: zone}
}

var showTime = time.Date(2030, 12, 24, 19, 30, 0, 0, time.UTC)

// mail builds the i-th confirmation: a fresh ticket's QR text on its PDF and its pass.
func (g *mailMaker) mail(i int64) (ledger.OutgoingMail, error) {
	seat := ledger.Seat{Number: int(i%40) + 1, Letter: string(rune('A' + i%26))}
	qr, err := issuer.QRTexts([]issuer.IssuedTicket{{Seat: seat, Price: 4500, Secret: issuer.SecretKeys{
		Plaintext: randomHex(8)[:15], Key: randomHex(32), IV: randomHex(16)}}}, 1)
	if err != nil {
		return ledger.OutgoingMail{}, err
	}
	var pdf bytes.Buffer
	err = ticketpdf.WritePDF(&pdf, issuer.LayoutA6, []ticketpdf.PrintedTicket{{ShowName: "Hamlet", Organiser: "Globe Players",
		Venue: "Globe", ShowTime: showTime.In(g.zone), Seats: []ticketpdf.PrintedSeat{{Seat: seat, Price: 4500}}, Currency: "CHF",
		Reference: issuer.Reference(randomHex(32)), TransactionHash: randomHex(32), QRText: qr[0], Now: showTime.AddDate(0, -1, 0)}})
	if err != nil {
		return ledger.OutgoingMail{}, err
	}
	pass, err := pkpass.Build(pkpass.Issuer{PassTypeIdentifier: "pass.com.example.tickets", TeamIdentifier: "ABCDE12345", OrganizationName: "Globe"},
		pkpass.Ticket{QRText: qr[0], Serial: randomHex(16), Show: "Hamlet", Venue: "Globe", Seat: seat.String(), Time: showTime, Zone: g.zone}, g.signer)
	if err != nil {
		return ledger.OutgoingMail{}, err
	}
	to := fmt.Sprintf("customer-%d@example.com", i)
	msg, err := mail.Build(mail.Confirmation{BookingID: fmt.Sprint(i), Locale: "en", From: "Globe <tickets@theater.example>", To: to,
		CustomerName: "Ada Lovelace", ShowTitle: "Hamlet", Tickets: 1, WalletURL: "https://tickets.example/wallet#" + randomHex(32),
		PDF: pdf.Bytes(), Passes: []mail.Pass{{FileName: "ticket-1.pkpass", Data: pass}}})
	g.size.Add(int64(len(msg)))
	return ledger.OutgoingMail{Key: fmt.Sprintf("booking/%d/confirmed", i), To: to, Message: msg}, err
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// watchHeap samples the live heap every 50 ms and returns the function that stops and
// reports the peak, in bytes.
func watchHeap() func() uint64 {
	var peak atomic.Uint64
	stop := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(stop); return peak.Load() }
}

// BenchmarkMailParts splits BenchmarkMailBatch's cost per mail into its steps, each
// reported as CPU time per mail: the A6 PDF, the signed pass, the MIME message around them,
// and queueing plus sending (a message built once, queued b.N times under its own keys and
// handed to the local SMTP server, whose receiving is counted too).
func BenchmarkMailParts(b *testing.B) {
	gen := newMailMaker(b)
	zone := gen.zone
	qr := func() string {
		t, _ := issuer.QRTexts([]issuer.IssuedTicket{{Seat: ledger.Seat{Number: 1, Letter: "A"}, Secret: issuer.SecretKeys{
			Plaintext: randomHex(8)[:15], Key: randomHex(32), IV: randomHex(16)}}}, 1)
		return t[0]
	}
	step := func(name string, fn func(b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			cpu0 := cpuTime()
			fn(b)
			b.ReportMetric((cpuTime()-cpu0).Seconds()*1000/float64(b.N), "cpu-ms/mail")
		})
	}
	step("pdf", func(b *testing.B) {
		for b.Loop() {
			var pdf bytes.Buffer
			ticketpdf.WritePDF(&pdf, issuer.LayoutA6, []ticketpdf.PrintedTicket{{ShowName: "Hamlet", Organiser: "Globe Players",
				Venue: "Globe", ShowTime: showTime.In(zone), Seats: []ticketpdf.PrintedSeat{{Seat: ledger.Seat{Number: 1, Letter: "A"}, Price: 4500}},
				Currency: "CHF", Reference: "TB-7KQ2-91XA", TransactionHash: randomHex(32), QRText: qr(), Now: showTime.AddDate(0, -1, 0)}})
		}
	})
	step("pass", func(b *testing.B) {
		for b.Loop() {
			pkpass.Build(pkpass.Issuer{PassTypeIdentifier: "pass.com.example.tickets", TeamIdentifier: "ABCDE12345", OrganizationName: "Globe"},
				pkpass.Ticket{QRText: qr(), Serial: randomHex(16), Show: "Hamlet", Venue: "Globe", Seat: "1A", Time: showTime, Zone: zone}, gen.signer)
		}
	})
	whole, _ := gen.mail(1)
	step("message", func(b *testing.B) {
		pdf, pass := bytes.Repeat([]byte{1}, 30<<10), bytes.Repeat([]byte{2}, 8<<10)
		for b.Loop() {
			mail.Build(mail.Confirmation{BookingID: "1", Locale: "en", From: "Globe <tickets@theater.example>", To: "ada@example.com",
				CustomerName: "Ada Lovelace", ShowTitle: "Hamlet", Tickets: 1, WalletURL: "https://tickets.example/wallet#x",
				PDF: pdf, Passes: []mail.Pass{{FileName: "ticket-1.pkpass", Data: pass}}})
		}
	})
	step("queue+smtp", func(b *testing.B) {
		st, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "ledger.db"), sqlstore.Options{DeliveryKey: deliveryKey})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		srv := smtptest.Start(b, smtptest.Options{Discard: true})
		w := &mailq.Worker{Spool: st.Mails, Transport: plain(srv), From: "tickets@theater.example", Batch: 100, Poll: 10 * time.Millisecond}
		ctx, stop := context.WithCancel(context.Background())
		defer stop()
		go w.Run(ctx)
		q := w.Queue()
		i := 0
		for b.Loop() {
			i++
			if _, err := q.Enqueue(context.Background(), ledger.OutgoingMail{Key: fmt.Sprint("k", i), To: whole.To, Message: whole.Message}); err != nil {
				b.Fatal(err)
			}
		}
		srv.Wait(b, i, time.Hour)
	})
}
