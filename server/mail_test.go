package server_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/ticketbooth-go/ticketbooth/api"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

func TestMailQueueRoutes(t *testing.T) {
	e := newEnv(t)
	st, err := sqlstore.Open(context.Background(), e.path, sqlstore.Options{Now: e.clock.Now, DeliveryKey: bytes.Repeat([]byte{5}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	msg := []byte("Subject: Your tickets\r\n\r\nSECRET-QR\r\n")
	if _, err := st.Mails.Enqueue(context.Background(), ledger.OutgoingMail{Key: "booking/1/confirmed", To: "ada@example.com", Message: msg}); err != nil {
		t.Fatal(err)
	}
	var list []ledger.QueuedMail
	r := e.do("GET", api.MailPath, e.shop, "")
	r.want(t, 200, &list)
	if len(list) != 1 || list[0].To != "***@example.com" || list[0].State != ledger.MailQueued {
		t.Fatalf("a box office lists %+v", list)
	}
	if bytes.Contains(r.body, []byte("ada@")) || bytes.Contains(r.body, []byte("SECRET")) {
		t.Fatalf("the list shows a mailbox or the message: %s", r.body)
	}
	e.do("GET", api.MailPath+"?state=failed", e.alice, "").want(t, 200, &list)
	if len(list) != 0 {
		t.Fatalf("failed mails: %+v", list)
	}
	var m ledger.QueuedMail
	e.do("POST", api.MailItemPath(1, "retry"), e.alice, "").want(t, 200, &m)
	if m.ID != 1 || m.State != ledger.MailQueued {
		t.Fatalf("retry answered %+v", m)
	}
	e.do("GET", api.MailPath, "", "").wantError(t, 401, ledger.EUNAUTHORIZED)
	e.do("GET", api.MailPath, e.gate, "").wantError(t, 403, ledger.EFORBIDDEN)
	e.do("POST", api.MailItemPath(1, "retry"), e.shop, "").wantError(t, 403, ledger.EFORBIDDEN)
	e.do("GET", api.MailPath+"?state=lost", e.alice, "").wantError(t, 400, ledger.EINVALID)
	e.do("GET", api.MailPath+"?limit=0", e.alice, "").wantError(t, 400, ledger.EINVALID)
	e.do("GET", api.MailItemPath(9, ""), e.alice, "").wantError(t, 404, ledger.ENOTFOUND)
	e.do("GET", api.MailPath+"/x", e.alice, "").wantError(t, 400, ledger.EINVALID)
	if strings.Contains(e.logs.String(), "ada@") {
		t.Fatal("the log shows a mailbox")
	}
}
