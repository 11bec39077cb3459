package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// testDeliveryKey is the delivery key of the mail queue's tests.
var testDeliveryKey = bytes.Repeat([]byte{7}, sqlstore.DeliveryKeySize)

// openMailEnv is a store whose mail queue has a delivery key.
func openMailEnv(tb testing.TB) *env {
	tb.Helper()
	e := openEnv(tb)
	e.store.Close()
	e.store = mustOpen(tb, e.db, sqlstore.Options{BlockInterval: testInterval, Now: e.clock.Now, DeliveryKey: testDeliveryKey})
	return e
}

func testMail(key string) ledger.OutgoingMail {
	return ledger.OutgoingMail{Key: key, To: "ada@example.com",
		Message: []byte("Message-ID: <" + key + "@ticketbooth>\r\nSubject: Your tickets\r\n\r\nSECRET-QR-TEXT for " + key + "\r\n")}
}

func mustEnqueue(tb testing.TB, q *sqlstore.Mails, m ledger.OutgoingMail) bool {
	tb.Helper()
	added, err := q.Enqueue(context.Background(), m)
	mustNil(tb, err, "Enqueue")
	return added
}

func mustClaim(tb testing.TB, q *sqlstore.Mails, n int) []ledger.ClaimedMail {
	tb.Helper()
	got, err := q.Claim(context.Background(), n, time.Minute)
	mustNil(tb, err, "Claim")
	return got
}

func TestMailQueueSendsEachKeyOnce(t *testing.T) {
	e := openMailEnv(t)
	q := e.store.Mails
	m := testMail("booking/42/confirmed")
	if !mustEnqueue(t, q, m) {
		t.Fatal("the first Enqueue queued nothing")
	}
	if mustEnqueue(t, q, m) {
		t.Fatal("a second Enqueue of the same key queued it again")
	}
	got := mustClaim(t, q, 10)
	if len(got) != 1 || !bytes.Equal(got[0].Message, m.Message) || got[0].To != m.To || got[0].MessageID != "<booking/42/confirmed@ticketbooth>" {
		t.Fatalf("claimed %+v, want the one mail with its message", got)
	}
	if again := mustClaim(t, q, 10); len(again) != 0 {
		t.Fatalf("a leased mail was claimed again: %+v", again)
	}
	mustNil(t, q.Sent(context.Background(), got[0]), "Sent")
	if mustEnqueue(t, q, m) {
		t.Fatal("Enqueue after sending queued the key again")
	}
	e.clock.Advance(time.Hour)
	if after := mustClaim(t, q, 10); len(after) != 0 {
		t.Fatalf("a sent mail was claimed: %+v", after)
	}
	sent, err := q.Mail(e.admin, got[0].ID)
	mustNil(t, err, "Mail")
	if sent.State != ledger.MailSent || sent.Attempts != 1 || sent.Sent.IsZero() || sent.To != m.To {
		t.Fatalf("sent mail reads %+v", sent)
	}
	var left []byte
	mustNil(t, e.rawDB(t).QueryRow(`SELECT sealed FROM mail_queue WHERE id = ?`, got[0].ID).Scan(&left), "reading the row")
	if left != nil {
		t.Fatalf("the sent mail's message is still stored (%d bytes)", len(left))
	}
}

func TestMailQueueStoresTheMessageSealed(t *testing.T) {
	e := openMailEnv(t)
	mustEnqueue(t, e.store.Mails, testMail("booking/1/confirmed"))
	var sealed []byte
	mustNil(t, e.rawDB(t).QueryRow(`SELECT sealed FROM mail_queue`).Scan(&sealed), "reading the row")
	if len(sealed) == 0 || bytes.Contains(sealed, []byte("SECRET-QR-TEXT")) || bytes.Contains(sealed, []byte("Subject")) {
		t.Fatalf("the stored message is not sealed: %q", sealed)
	}
	// Another delivery key opens nothing: the mail fails, visibly, and blocks no other;
	// no key refuses to send.
	e.store.Close()
	other := mustOpen(t, e.db, sqlstore.Options{Now: e.clock.Now, DeliveryKey: bytes.Repeat([]byte{8}, 32)})
	got, err := other.Mails.Claim(context.Background(), 1, time.Minute)
	if err != nil || len(got) != 0 {
		t.Fatalf("Claim under another key = %v, %v; want nothing", got, err)
	}
	m, err := other.Mails.Mail(e.admin, 1)
	if err != nil || m.State != ledger.MailFailed || !strings.Contains(m.LastError, "delivery key") {
		t.Fatalf("the mail sealed under another key reads %+v, %v", m, err)
	}
	other.Close()
	none := mustOpen(t, e.db, sqlstore.Options{Now: e.clock.Now})
	_, err = none.Mails.Enqueue(context.Background(), testMail("booking/2/confirmed"))
	wantCode(t, err, ledger.EINTERNAL)
}

func TestMailQueueRetriesAfterTheBackoff(t *testing.T) {
	e := openMailEnv(t)
	q := e.store.Mails
	mustEnqueue(t, q, testMail("booking/7/confirmed"))
	m := mustClaim(t, q, 1)[0]
	mustNil(t, q.Failed(context.Background(), m, ledger.MailFailure{Reason: "451 try later", RetryIn: time.Minute}), "Failed")
	if got := mustClaim(t, q, 1); len(got) != 0 {
		t.Fatal("a mail was claimed before its backoff ended")
	}
	e.clock.Advance(time.Minute)
	m = mustClaim(t, q, 1)[0]
	if m.Attempts != 1 || m.LastError != "451 try later" {
		t.Fatalf("retried mail reads %+v", m.QueuedMail)
	}
	mustNil(t, q.Failed(context.Background(), m, ledger.MailFailure{Reason: "550 no such user", Permanent: true}), "Failed")
	e.clock.Advance(24 * time.Hour)
	if got := mustClaim(t, q, 1); len(got) != 0 {
		t.Fatal("a mail that failed for good was claimed")
	}
	failed, err := q.Mails(e.admin, ledger.MailFilter{State: ledger.MailFailed})
	mustNil(t, err, "Mails")
	if len(failed) != 1 || failed[0].Attempts != 2 || failed[0].LastError != "550 no such user" {
		t.Fatalf("failed mails: %+v", failed)
	}
	mustNil(t, q.RetryMail(e.admin, m.ID), "Retry")
	if got := mustClaim(t, q, 1); len(got) != 1 {
		t.Fatal("a retried mail was not due")
	}
}

func TestMailQueueLeaseExpires(t *testing.T) {
	e := openMailEnv(t)
	q := e.store.Mails
	mustEnqueue(t, q, testMail("booking/9/confirmed"))
	first := mustClaim(t, q, 1)[0]
	e.clock.Advance(2 * time.Minute) // the first sender stopped mid-send
	second := mustClaim(t, q, 1)
	if len(second) != 1 {
		t.Fatal("a mail whose lease expired was not claimed again")
	}
	wantCode(t, q.Sent(context.Background(), first), ledger.ECONFLICT)
	mustNil(t, q.Sent(context.Background(), second[0]), "Sent")
}

func TestMailQueueRefusals(t *testing.T) {
	e := openMailEnv(t)
	q := e.store.Mails
	for _, m := range []ledger.OutgoingMail{
		{Key: "", To: "ada@example.com", Message: []byte("x")},
		{Key: "has space", To: "ada@example.com", Message: []byte("x")},
		{Key: "k", To: "Ada <ada@example.com>", Message: []byte("x")},
		{Key: "k", To: "ada@example.com\r\nBcc: eve@example.com", Message: []byte("x")},
		{Key: "k", To: "ada@example.com"},
	} {
		_, err := q.Enqueue(context.Background(), m)
		wantCode(t, err, ledger.EINVALID)
	}
	_, err := q.Mail(e.admin, 99)
	wantCode(t, err, ledger.ENOTFOUND)
	mustEnqueue(t, q, testMail("booking/3/confirmed"))
	m := mustClaim(t, q, 1)[0]
	mustNil(t, q.Sent(context.Background(), m), "Sent")
	wantCode(t, q.RetryMail(e.admin, m.ID), ledger.ECONFLICT)
	box := e.actor(t, ledger.RoleBoxOffice, "till")
	list, err := q.Mails(box, ledger.MailFilter{})
	mustNil(t, err, "Mails")
	if len(list) != 1 || list[0].To != "***@example.com" {
		t.Fatalf("a box office sees %+v, want the domain only", list)
	}
	wantCode(t, q.RetryMail(box, m.ID), ledger.EFORBIDDEN)
	_, err = q.Mails(e.actor(t, ledger.RoleScanner, "gate"), ledger.MailFilter{})
	wantCode(t, err, ledger.EFORBIDDEN)
}

// TestErasedCustomersMailsAreForgotten: erasing a customer masks their address in the
// queue and deletes the message of a mail not sent yet, which then fails, saying why.
func TestErasedCustomersMailsAreForgotten(t *testing.T) {
	e := openMailEnv(t)
	q := e.store.Mails
	cu, err := e.store.Customers.CreateCustomer(e.admin, ledger.Customer{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com"})
	mustNil(t, err, "CreateCustomer")
	mustEnqueue(t, q, testMail("booking/1/confirmed"))
	mustNil(t, q.Sent(context.Background(), mustClaim(t, q, 1)[0]), "Sent")
	mustEnqueue(t, q, testMail("booking/2/confirmed"))
	_, err = e.store.Customers.EraseCustomer(e.admin, cu.ID)
	mustNil(t, err, "EraseCustomer")
	if got := mustClaim(t, q, 10); len(got) != 0 {
		t.Fatalf("an erased customer's mail was claimed: %+v", got)
	}
	list, err := q.Mails(e.admin, ledger.MailFilter{})
	mustNil(t, err, "Mails")
	if len(list) != 2 || list[0].To != "***@example.com" || list[0].State != ledger.MailSent ||
		list[1].To != "***@example.com" || list[1].State != ledger.MailFailed || !strings.Contains(list[1].LastError, "erased") {
		t.Fatalf("after the erasure the queue reads %+v", list)
	}
	var left []byte
	mustNil(t, e.rawDB(t).QueryRow(`SELECT sealed FROM mail_queue WHERE id = 2`).Scan(&left), "reading the row")
	if left != nil {
		t.Fatal("the erased customer's unsent message is still stored")
	}
}

// TestClaimLeavesTheMessageInPlace: on SQLite, claiming a queued mail writes its lease over
// the row in place, a few pages, not the row anew with every page of its sealed message
// (a 200 KB message is fifty).
func TestClaimLeavesTheMessageInPlace(t *testing.T) {
	e := openMailEnv(t)
	if strings.HasPrefix(e.db, "postgres") {
		t.Skip("SQLite's pages: PostgreSQL keeps large values apart anyway")
	}
	m := testMail("booking/1/confirmed")
	m.Message = append(m.Message, bytes.Repeat([]byte("0123456789abcdef"), 200<<10/16)...)
	mustEnqueue(t, e.store.Mails, m)
	side, err := sql.Open("sqlite", e.db)
	mustNil(t, err, "opening the database")
	defer side.Close()
	if _, err := side.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	before := walSize(t, e.db)
	if got := mustClaim(t, e.store.Mails, 1); len(got) != 1 || !bytes.Equal(got[0].Message, m.Message) {
		t.Fatalf("claimed %d mails", len(got))
	}
	if pages := (walSize(t, e.db) - max(before, 32)) / (4096 + 24); pages > 10 {
		t.Errorf("the claim wrote %d pages to the WAL; its message is 50", pages)
	}
}

func walSize(tb testing.TB, db string) int64 {
	st, err := os.Stat(db + "-wal")
	if err != nil {
		tb.Fatal(err)
	}
	return st.Size()
}
