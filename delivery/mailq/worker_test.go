package mailq_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/delivery/mailq"
	"github.com/ticketbooth-go/ticketbooth/internal/pgtest"
	"github.com/ticketbooth-go/ticketbooth/internal/smtptest"
	"github.com/ticketbooth-go/ticketbooth/internal/testclock"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// hung bounds a wait for the SMTP server in a test that would otherwise hang.
const hung = time.Minute

var deliveryKey = bytes.Repeat([]byte{9}, mailq.KeySize)

// queue is a mail queue on a real database with a clock the test moves.
type queue struct {
	db    string
	clock *testclock.Clock
	store *sqlstore.Store
	admin context.Context
}

func openQueue(tb testing.TB) *queue {
	tb.Helper()
	q := &queue{db: pgtest.LedgerDB(tb), clock: testclock.New(testclock.Start, 10*time.Second)}
	q.store = q.open(tb)
	q.admin = ledger.WithActor(context.Background(), ledger.Actor{Admin: true})
	return q
}

// open opens another store on the queue's database, as another process would.
func (q *queue) open(tb testing.TB) *sqlstore.Store {
	tb.Helper()
	st, err := sqlstore.Open(context.Background(), q.db, sqlstore.Options{Now: q.clock.Now, DeliveryKey: deliveryKey})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

func (q *queue) enqueue(tb testing.TB, key string) []byte {
	tb.Helper()
	msg := message(key)
	if ok, err := q.store.Mails.Enqueue(context.Background(), ledger.OutgoingMail{Key: key, To: "ada@example.com", Message: msg}); err != nil || !ok {
		tb.Fatalf("Enqueue(%s) = %v, %v", key, ok, err)
	}
	return msg
}

// message is an RFC 5322 message with a body that SMTP must carry as it is: a line that
// starts with a dot, a long line, 8-bit text.
func message(key string) []byte {
	return []byte("From: Theater <tickets@theater.example>\r\nTo: ada@example.com\r\nSubject: Your tickets\r\n" +
		"Message-ID: <" + key + "@ticketbooth>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Grüezi Ada,\r\n.a line that starts with a dot\r\n..and two\r\n" + string(bytes.Repeat([]byte("x"), 900)) + "\r\n" +
		"key " + key + "\r\n")
}

func (q *queue) mail(tb testing.TB, id int64) ledger.QueuedMail {
	tb.Helper()
	m, err := q.store.Mails.Mail(q.admin, id)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func worker(st *sqlstore.Store, t mailq.Transport) *mailq.Worker {
	return &mailq.Worker{Spool: st.Mails, Transport: t, From: "tickets@theater.example",
		Backoff: time.Minute, MaxBackoff: time.Hour, MaxAttempts: 3, Batch: 3}
}

func plain(s *smtptest.Server) *mailq.SMTP {
	t, err := mailq.ParseSMTPURL(s.URL())
	if err != nil {
		panic(err)
	}
	return t
}

func TestSMTPDeliversTheMessageAsBuilt(t *testing.T) {
	q := openQueue(t)
	srv := smtptest.Start(t, smtptest.Options{StartTLS: true, Username: "sender", Password: "s3cret"})
	tr, err := mailq.ParseSMTPURL(srv.URL())
	if err != nil || tr.Security != mailq.StartTLS {
		t.Fatalf("ParseSMTPURL(%s) = %+v, %v", srv.URL(), tr, err)
	}
	tr.TLSConfig = &tls.Config{RootCAs: srv.RootCAs, ServerName: "127.0.0.1"}
	msg := q.enqueue(t, "booking/42/confirmed")
	if n := worker(q.store, tr).Drain(context.Background()); n != 1 {
		t.Fatalf("Drain sent %d mails, want 1", n)
	}
	got := srv.Wait(t, 1, hung)
	if len(got) != 1 || !bytes.Equal(got[0].Data, msg) {
		t.Fatalf("the server received %q\nwant %q", got[0].Data, msg)
	}
	if got[0].From != "tickets@theater.example" || len(got[0].To) != 1 || got[0].To[0] != "ada@example.com" {
		t.Fatalf("envelope %s -> %v", got[0].From, got[0].To)
	}
	if m := q.mail(t, 1); m.State != ledger.MailSent || m.Attempts != 1 {
		t.Fatalf("the mail reads %+v after sending", m)
	}
}

func TestSMTPRefusesPlainTextAuthWithoutTLS(t *testing.T) {
	q := openQueue(t)
	srv := smtptest.Start(t, smtptest.Options{StartTLS: true})
	tr := plain(srv)
	tr.Security = mailq.StartTLS // the server's certificate is not trusted: no mail goes out in clear
	q.enqueue(t, "booking/1/confirmed")
	worker(q.store, tr).Drain(context.Background())
	if m := q.mail(t, 1); m.State != ledger.MailQueued || m.Attempts != 1 || m.LastError == "" {
		t.Fatalf("the mail reads %+v after a failed handshake", m)
	}
	if srv.Count() != 0 {
		t.Fatal("a mail went out over an unverified connection")
	}
}

func TestServerDownThenBack(t *testing.T) {
	q := openQueue(t)
	srv := smtptest.Start(t, smtptest.Options{})
	srv.Stop()
	q.enqueue(t, "booking/7/confirmed")
	w := worker(q.store, plain(srv))
	if n := w.Drain(context.Background()); n != 0 {
		t.Fatalf("Drain sent %d with the server down", n)
	}
	m := q.mail(t, 1)
	if m.State != ledger.MailQueued || m.Attempts != 1 || m.LastError == "" || !m.Due.After(q.clock.Now()) {
		t.Fatalf("after the refused connection the mail reads %+v", m)
	}
	srv.Restart(t)
	if n := w.Drain(context.Background()); n != 0 {
		t.Fatal("the mail was sent again before its backoff ended")
	}
	q.clock.Advance(time.Minute)
	if n := w.Drain(context.Background()); n != 1 {
		t.Fatalf("after the backoff Drain sent %d, want 1", n)
	}
	q.clock.Advance(24 * time.Hour)
	w.Drain(context.Background())
	if got := srv.Wait(t, 1, hung); len(got) != 1 {
		t.Fatalf("the server received %d messages, want 1", len(got))
	}
}

func TestTemporaryRefusalIsRetried(t *testing.T) {
	q := openQueue(t)
	srv := smtptest.Start(t, smtptest.Options{})
	refusals := 1
	srv.OnRcpt(func(string) error {
		if refusals > 0 {
			refusals--
			return smtptest.Reply(451, "4.3.0 <ada@example.com> greylisted, try again later")
		}
		return nil
	})
	q.enqueue(t, "booking/8/confirmed")
	w := worker(q.store, plain(srv))
	var logged bytes.Buffer
	w.Log = slog.New(slog.NewTextHandler(&logged, nil))
	w.Drain(context.Background())
	m := q.mail(t, 1)
	if m.State != ledger.MailQueued || m.Attempts != 1 || m.LastError != "451 4.3.0 <***@example.com> greylisted, try again later" {
		t.Fatalf("after a 451 the mail reads %+v", m)
	}
	q.clock.Advance(time.Minute)
	if n := w.Drain(context.Background()); n != 1 {
		t.Fatalf("the retry sent %d", n)
	}
	if m := q.mail(t, 1); m.State != ledger.MailSent || m.Attempts != 2 {
		t.Fatalf("after the retry the mail reads %+v", m)
	}
	if bytes.Contains(logged.Bytes(), []byte("ada@")) || !bytes.Contains(logged.Bytes(), []byte("to=***@example.com")) {
		t.Fatalf("the log shows a mailbox, or no masked recipient:\n%s", logged.Bytes())
	}
}

func TestPermanentRefusalFailsForGood(t *testing.T) {
	q := openQueue(t)
	srv := smtptest.Start(t, smtptest.Options{})
	srv.OnRcpt(func(string) error { return smtptest.Reply(550, "5.1.1 <ada@example.com>: no such user") })
	q.enqueue(t, "booking/9/confirmed")
	w := worker(q.store, plain(srv))
	w.Drain(context.Background())
	for range 5 {
		q.clock.Advance(24 * time.Hour)
		w.Drain(context.Background())
	}
	failed, err := q.store.Mails.Mails(q.admin, ledger.MailFilter{State: ledger.MailFailed})
	if err != nil || len(failed) != 1 || failed[0].Attempts != 1 {
		t.Fatalf("failed mails %+v, %v; want the one mail after one attempt", failed, err)
	}
	if failed[0].LastError != "refused: 550 5.1.1 <***@example.com>: no such user" {
		t.Fatalf("last error %q", failed[0].LastError)
	}
	srv.OnRcpt(nil)
	if err := q.store.Mails.RetryMail(q.admin, failed[0].ID); err != nil {
		t.Fatal(err)
	}
	if n := w.Drain(context.Background()); n != 1 || srv.Count() != 1 {
		t.Fatalf("the retried mail: sent %d, server has %d", n, srv.Count())
	}
}

func TestOutOfAttemptsFails(t *testing.T) {
	q := openQueue(t)
	srv := smtptest.Start(t, smtptest.Options{})
	srv.Stop()
	q.enqueue(t, "booking/10/confirmed")
	w := worker(q.store, plain(srv))
	for range 5 {
		w.Drain(context.Background())
		q.clock.Advance(2 * time.Hour)
	}
	if m := q.mail(t, 1); m.State != ledger.MailFailed || m.Attempts != 3 {
		t.Fatalf("after 3 refused connections the mail reads %+v", m)
	}
}

// TestRestartMidQueueLosesNothing stops a worker in the middle of its batch: the mails it
// handed over are recorded sent, the ones it had claimed but not sent wait for their lease,
// and a new worker on a new store (another process) sends each remaining mail once.
func TestRestartMidQueueLosesNothing(t *testing.T) {
	q := openQueue(t)
	srv := smtptest.Start(t, smtptest.Options{})
	const total = 10
	for i := range total {
		q.enqueue(t, fmt.Sprintf("booking/%d/confirmed", i))
	}
	ctx, stop := context.WithCancel(context.Background())
	srv.OnData(func([]string) error {
		if srv.Count() == 3 { // the 4th is being accepted: the process is stopped now
			stop()
		}
		return nil
	})
	worker(q.store, plain(srv)).Run(ctx)
	q.store.Close()
	srv.OnData(nil)
	second := worker(q.open(t), plain(srv))
	second.Drain(context.Background())
	q.clock.Advance(mailq.DefaultLease)
	second.Drain(context.Background())
	got := srv.Wait(t, total, hung)
	seen := map[string]int{}
	for _, m := range got {
		seen[string(m.Data)]++
	}
	if len(got) != total || len(seen) != total {
		t.Fatalf("%d messages, %d distinct; want each of %d once", len(got), len(seen), total)
	}
}

// TestTwoWorkersSendEachMailOnce runs two workers on two stores of one database (two
// servers on one PostgreSQL under TICKETBOOTH_TEST_DB=postgres, two processes on one
// SQLite file otherwise).
func TestTwoWorkersSendEachMailOnce(t *testing.T) {
	q := openQueue(t)
	srv := smtptest.Start(t, smtptest.Options{})
	const total = 40
	for i := range total {
		q.enqueue(t, fmt.Sprintf("booking/%d/confirmed", i))
	}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, st := range []*sqlstore.Store{q.store, q.open(t)} {
		w := worker(st, plain(srv))
		w.Poll = 10 * time.Millisecond
		wg.Go(func() { w.Run(ctx) })
	}
	got := srv.Wait(t, total, hung)
	stop()
	wg.Wait()
	seen := map[string]bool{}
	for _, m := range srv.Messages() {
		if seen[string(m.Data)] {
			t.Fatalf("a mail was sent twice")
		}
		seen[string(m.Data)] = true
	}
	if len(got) < total || len(seen) != total {
		t.Fatalf("%d distinct messages, want %d", len(seen), total)
	}
	sent, _ := q.store.Mails.Mails(q.admin, ledger.MailFilter{State: ledger.MailSent})
	if len(sent) != total {
		t.Fatalf("%d mails recorded sent, want %d", len(sent), total)
	}
}

// pairedSpool holds each Sent record until a second one is under way (or a guard
// expires, which it notes).
type pairedSpool struct {
	ledger.MailSpool
	mu      sync.Mutex
	calls   int
	both    chan struct{}
	alone   bool // a record waited out the guard without a second
	guarded time.Duration
}

func (p *pairedSpool) Sent(ctx context.Context, m ledger.ClaimedMail) error {
	p.mu.Lock()
	if p.calls++; p.calls == 2 {
		close(p.both)
	}
	p.mu.Unlock()
	select {
	case <-p.both:
	case <-time.After(p.guarded):
		p.mu.Lock()
		p.alone = true
		p.mu.Unlock()
	}
	return p.MailSpool.Sent(ctx, m)
}

// TestSentRecordsOverlapSending: the worker hands the next mail over while the last one's
// sent record is being written, so records can share the store's commits; both mails are
// recorded sent once the round ends.
func TestSentRecordsOverlapSending(t *testing.T) {
	q := openQueue(t)
	srv := smtptest.Start(t, smtptest.Options{})
	q.enqueue(t, "booking/1/confirmed")
	q.enqueue(t, "booking/2/confirmed")
	spool := &pairedSpool{MailSpool: q.store.Mails, both: make(chan struct{}), guarded: 10 * time.Second}
	w := worker(q.store, plain(srv))
	w.Spool = spool
	if n := w.Drain(context.Background()); n != 2 {
		t.Fatalf("Drain sent %d mails, want 2", n)
	}
	if spool.alone {
		t.Error("the first mail's record was written before the second mail was handed over")
	}
	for id := int64(1); id <= 2; id++ {
		if m := q.mail(t, id); m.State != ledger.MailSent {
			t.Errorf("mail %d reads %+v after the round", id, m)
		}
	}
}

// TestSMTPDataWithoutChunking: to a server that does not offer CHUNKING the message goes in
// DATA, dot-stuffed, and arrives as it was built: lines starting with a dot, 8-bit text.
func TestSMTPDataWithoutChunking(t *testing.T) {
	q := openQueue(t)
	srv := smtptest.Start(t, smtptest.Options{NoChunking: true})
	msg := q.enqueue(t, "booking/43/confirmed")
	if n := worker(q.store, plain(srv)).Drain(context.Background()); n != 1 {
		t.Fatalf("Drain sent %d mails, want 1", n)
	}
	if got := srv.Wait(t, 1, hung); len(got) != 1 || !bytes.Equal(got[0].Data, msg) {
		t.Fatalf("the server received %q\nwant %q", got[0].Data, msg)
	}
}
