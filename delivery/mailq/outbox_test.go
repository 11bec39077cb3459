package mailq_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/delivery/mailq"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func TestOutboxWritesEachMailOnce(t *testing.T) {
	q := openQueue(t)
	dir := filepath.Join(t.TempDir(), "ledger.db.outbox")
	msg := q.enqueue(t, "booking/42/confirmed")
	if ok, _ := q.store.Mails.Enqueue(context.Background(), ledger.OutgoingMail{Key: "booking/42/confirmed", To: "ada@example.com", Message: msg}); ok {
		t.Fatal("the same key was queued twice")
	}
	w := worker(q.store, mailq.Outbox{Dir: dir})
	if n := w.Drain(context.Background()); n != 1 {
		t.Fatalf("Drain wrote %d mails, want 1", n)
	}
	w.Drain(context.Background())
	files, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	if len(files) != 1 || filepath.Base(files[0]) != "000001-booking-42-confirmed.eml" {
		t.Fatalf("outbox holds %v", files)
	}
	got, err := os.ReadFile(files[0])
	if err != nil || !bytes.Equal(got, msg) {
		t.Fatalf("the .eml differs from the message (%v)", err)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("outbox folder mode %v (%v), want 0700", info.Mode(), err)
	}
	if m := q.mail(t, 1); m.State != ledger.MailSent {
		t.Fatalf("the mail reads %+v", m)
	}
}

func TestParseSMTPURL(t *testing.T) {
	for _, c := range []struct {
		url, name string
		sec       mailq.Security
	}{
		{"smtp://user:pa%40ss@mail.example.com", "smtp://mail.example.com:587", mailq.StartTLS},
		{"smtps://mail.example.com", "smtps://mail.example.com:465", mailq.TLS},
		{"smtp://127.0.0.1:2525?tls=none", "smtp://127.0.0.1:2525", mailq.Plain},
		{"smtp://localhost:25?tls=none", "smtp://localhost:25", mailq.Plain},
	} {
		s, err := mailq.ParseSMTPURL(c.url)
		if err != nil || s.Name() != c.name || s.Security != c.sec {
			t.Errorf("ParseSMTPURL(%s) = %+v, %v", c.url, s, err)
		}
	}
	if s, _ := mailq.ParseSMTPURL("smtp://user:pa%40ss@mail.example.com"); s.Username != "user" || s.Password != "pa@ss" {
		t.Errorf("credentials %q %q", s.Username, s.Password)
	}
	for _, bad := range []string{"", "mail.example.com", "http://mail.example.com", "smtp://mail.example.com?tls=none",
		"smtps://127.0.0.1?tls=none", "smtp://mail.example.com:99999", "smtp://u:hunter2@mail.example.com?x=1"} {
		_, err := mailq.ParseSMTPURL(bad)
		if ledger.ErrorCode(err) != ledger.EINVALID {
			t.Errorf("ParseSMTPURL(%q) = %v, want EINVALID", bad, err)
		}
		if err != nil && bytes.Contains([]byte(err.Error()), []byte("hunter2")) {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}
