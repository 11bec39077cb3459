package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/delivery/mailq"
	"github.com/ticketbooth-go/ticketbooth/internal/smtptest"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// serveUntil runs serve with args on db until the test ends, and returns once it printed
// a line holding want, with that line.
func serveUntil(t *testing.T, db, want string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- newApp(strings.NewReader(""), pw, io.Discard).RunContext(ctx,
			append([]string{"ticketbooth", "serve", "--db", db, "--addr", "127.0.0.1:0"}, args...))
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		if strings.Contains(lines.Text(), want) {
			go io.Copy(io.Discard, pr)
			return lines.Text()
		}
	}
	t.Fatalf("serve stopped before printing %q", want)
	return ""
}

// queueMail queues a mail into db as another process would, with the key serve keeps
// beside it.
func queueMail(t *testing.T, db, key string, msg []byte) {
	t.Helper()
	dk, err := mailq.LoadDeliveryKey(db+".delivery-key", false)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{DeliveryKey: dk})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ok, err := st.Mails.Enqueue(context.Background(), ledger.OutgoingMail{Key: key, To: "ada@example.com", Message: msg}); !ok || err != nil {
		t.Fatalf("Enqueue = %v, %v", ok, err)
	}
}

func TestServeSendsThroughSMTP(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	srv := smtptest.Start(t, smtptest.Options{})
	serveUntil(t, db, "e-mail through smtp://"+srv.Addr, "--smtp-url", srv.URL(), "--mail-from", "Theater <tickets@theater.example>")
	msg := []byte("Subject: Your tickets\r\n\r\nHello\r\n")
	queueMail(t, db, "booking/1/confirmed", msg)
	got := srv.Wait(t, 1, time.Minute)
	if !bytes.Equal(got[0].Data, msg) || got[0].From != "tickets@theater.example" {
		t.Fatalf("the server got %q from %s", got[0].Data, got[0].From)
	}
	if info, err := os.Stat(db + ".delivery-key"); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the delivery key beside the ledger: %v, %v", info, err)
	}
}

func TestServeWritesTheOutbox(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	serveUntil(t, db, "e-mail through outbox "+db+".outbox")
	msg := []byte("Subject: Your tickets\r\n\r\nHello\r\n")
	queueMail(t, db, "booking/2/confirmed", msg)
	path := filepath.Join(db+".outbox", "000001-booking-2-confirmed.eml")
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
		if got, err := os.ReadFile(path); err == nil {
			if !bytes.Equal(got, msg) {
				t.Fatalf("outbox file %q", got)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("serve wrote no outbox file within a minute")
		}
	}
}

func TestServeMailFlagsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"--smtp-url", "http://mail.example.com"},
		{"--smtp-url", "smtp://user:hunter2@mail.example.com?tls=none"},
		{"--mail-from", "not an address"},
		{"--delivery-key-file", "/nonexistent/key"},
	} {
		r := runCLI(t, "", append([]string{"serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--addr", "127.0.0.1:0"}, args...)...)
		if r.code != 2 || strings.Contains(r.stderr, "hunter2") || !strings.Contains(r.stderr, " ") {
			t.Errorf("serve %v: exit %d, stderr %q; want 2 and a sentence without the password", args, r.code, r.stderr)
		}
	}
}

func TestMailCommands(t *testing.T) {
	url, organizer, scannerKey, db := remote(t)
	st, err := sqlstore.Open(context.Background(), db, sqlstore.Options{DeliveryKey: bytes.Repeat([]byte{3}, mailq.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for _, key := range []string{"booking/1/confirmed", "booking/2/confirmed"} {
		if _, err := st.Mails.Enqueue(ctx, ledger.OutgoingMail{Key: key, To: "ada@example.com", Message: []byte("Subject: x\r\n\r\nx\r\n")}); err != nil {
			t.Fatal(err)
		}
	}
	claimed, err := st.Mails.Claim(ctx, 1, time.Minute)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("Claim = %v, %v", claimed, err)
	}
	if err := st.Mails.Failed(ctx, claimed[0], ledger.MailFailure{Reason: "refused: 550 5.1.1 <***@example.com>: no such user", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	org := []string{"--server", url, "--key", organizer}
	if out := mustCLI(t, "mail", "list", "--db", db); !strings.Contains(out, "1\tfailed\tbooking/1/confirmed\tada@example.com\tattempts 1") {
		t.Errorf("in-process mail list (the administrator):\n%s", out)
	}
	out := mustCLI(t, append([]string{"mail", "list"}, org...)...)
	if strings.Contains(out, "ada@") || !strings.Contains(out, "2\tqueued\tbooking/2/confirmed\t***@example.com\tattempts 0\tdue ") {
		t.Errorf("an organizer's mail list shows a mailbox or misses a mail:\n%s", out)
	}
	if out := mustCLI(t, append([]string{"mail", "list", "--state", "failed"}, org...)...); strings.Count(out, "\n") != 1 {
		t.Errorf("mail list --state failed:\n%s", out)
	}
	if out := mustCLI(t, append([]string{"mail", "show", "--id", "1"}, org...)...); !strings.Contains(out, "last error  refused: 550 5.1.1 <***@example.com>: no such user") {
		t.Errorf("mail show:\n%s", out)
	}
	if out := mustCLI(t, append([]string{"mail", "retry", "--id", "1"}, org...)...); out != "mail 1 is due now\n" {
		t.Errorf("mail retry: %q", out)
	}
	if m, _ := st.Mails.Mail(ledger.WithActor(ctx, ledger.Actor{Admin: true}), 1); m.State != ledger.MailQueued || m.Attempts != 0 {
		t.Errorf("after mail retry the mail reads %+v", m)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"mail", "list", "--server", url, "--key", scannerKey}, exitDenied, "scanner key may not"},
		{append([]string{"mail", "list", "--state", "lost"}, org...), exitUsage, "--state must be"},
		{append([]string{"mail", "show", "--id", "99"}, org...), exitFailed, "There is no mail 99"},
	} {
		if r := runCLI(t, "", c.args...); r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: exit %d %q, want %d and %q", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
}
