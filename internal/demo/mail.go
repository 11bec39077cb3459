package demo

import (
	"os"
	"path/filepath"

	"github.com/ticketbooth-go/ticketbooth/delivery/mail"
	"github.com/ticketbooth-go/ticketbooth/delivery/mailq"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// mailOutbox sends alice's confirmation e-mail (her PDF ticket attached) through the
// durable mail queue into the outbox folder beside the ledger, as `serve` does without
// --smtp-url, and says where it went.
func (d *demoRun) mailOutbox() error {
	pdf, err := os.ReadFile(filepath.Join(d.dir, "alice.pdf"))
	if err != nil {
		return err
	}
	c, err := d.st.Contracts.Contract(d.ctx, d.theatre)
	if err != nil {
		return err
	}
	msg, err := mail.Build(mail.Confirmation{BookingID: "alice", Locale: "en", From: "Theatre <tickets@theatre.example>",
		To: "alice@example.com", CustomerName: "Alice", ShowTitle: c.Sale.Details.Name, Tickets: len(d.bought["alice"].Tickets), PDF: pdf})
	if err != nil {
		return err
	}
	if _, err := d.st.Mails.Enqueue(d.ctx, ledger.OutgoingMail{Key: "demo/alice/confirmed", To: "alice@example.com", Message: msg}); err != nil {
		return err
	}
	outbox := d.db + ".outbox"
	w := &mailq.Worker{Spool: d.st.Mails, Transport: mailq.Outbox{Dir: outbox}, From: "tickets@theatre.example"}
	if w.Drain(d.ctx) != 1 {
		return ledger.Errorf(ledger.EINTERNAL, "the confirmation e-mail was not written into the outbox")
	}
	files, _ := filepath.Glob(filepath.Join(outbox, "*.eml"))
	d.say("alice's confirmation e-mail, her PDF attached, went through the mail queue into the outbox (no mail server needed): %s", files[0])
	return nil
}
