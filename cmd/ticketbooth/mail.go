package main

import (
	"fmt"
	"io"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func mailCommand() *cli.Command {
	return &cli.Command{
		Name:  "mail",
		Usage: "see the e-mail queue and retry a failed mail (box-office and organizer keys; organizers retry)",
		Subcommands: []*cli.Command{
			{
				Name:      "list",
				Usage:     "list queued, sent and failed mails, oldest first (recipients' domains only, except for the administrator)",
				UsageText: "ticketbooth mail list [--state failed] [--after ID] [--limit N]",
				Flags: append(connFlags(),
					&cli.StringFlag{Name: "state", Usage: "only the mails in `STATE`: queued, sent or failed"},
					&cli.Int64Flag{Name: "after", Usage: "the next page: the mails after the one of this `ID`"},
					&cli.IntFlag{Name: "limit", Usage: "at most `N` mails (default 100, at most 1000)"}),
				Action: customerAction(mailList),
			},
			{
				Name:   "show",
				Usage:  "show one mail: its key, recipient, state, attempts, last error and Message-ID (never its message)",
				Flags:  append(connFlags(), mailIDFlag()),
				Action: customerAction(mailShow),
			},
			{
				Name:   "retry",
				Usage:  "send a failed or waiting mail now, its attempts counted afresh",
				Flags:  append(connFlags(), mailIDFlag()),
				Action: customerAction(mailRetry),
			},
		},
	}
}

func mailIDFlag() cli.Flag {
	return &cli.Int64Flag{Name: "id", Usage: "the mail's `ID` (as 'mail list' printed it)", Required: true}
}

func mailList(c *cli.Context, s *session) error {
	state, err := ledger.ParseMailState(c.String("state"))
	if err != nil {
		return usagef("--state must be queued, sent or failed")
	}
	list, err := s.mails.Mails(s.ctx, ledger.MailFilter{State: state, After: c.Int64("after"), Limit: c.Int("limit")})
	if err != nil {
		return err
	}
	return s.print(list, func(w io.Writer) {
		if len(list) == 0 {
			fmt.Fprintln(w, "no mails")
		}
		for _, m := range list {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\tattempts %d\t%s\n", m.ID, m.State, m.Key, m.To, m.Attempts, mailWhen(m))
		}
	})
}

// mailWhen says when a mail was sent, tried last or is due.
func mailWhen(m ledger.QueuedMail) string {
	switch {
	case m.State == ledger.MailSent:
		return "sent " + stamp(m.Sent)
	case m.State == ledger.MailQueued:
		return "due " + stamp(m.Due)
	}
	return "failed " + stamp(m.Tried)
}

func stamp(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") }

func mailShow(c *cli.Context, s *session) error {
	m, err := s.mails.Mail(s.ctx, c.Int64("id"))
	if err != nil {
		return err
	}
	return s.print(m, func(w io.Writer) { printMail(w, m) })
}

// printMail writes a mail's row, one field a line, the empty ones left out.
func printMail(w io.Writer, m ledger.QueuedMail) {
	lines := [][2]string{{"mail", fmt.Sprint(m.ID)}, {"key", m.Key}, {"to", m.To}, {"state", string(m.State)},
		{"attempts", fmt.Sprint(m.Attempts)}, {"last error", m.LastError}, {"message-id", m.MessageID},
		{"queued", stamp(m.Queued)}}
	if !m.Tried.IsZero() {
		lines = append(lines, [2]string{"tried", stamp(m.Tried)})
	}
	lines = append(lines, [2]string{"", mailWhen(m)})
	for _, l := range lines {
		switch {
		case l[0] == "":
			fmt.Fprintln(w, l[1])
		case l[1] != "":
			fmt.Fprintf(w, "%-11s %s\n", l[0], l[1])
		}
	}
}

func mailRetry(c *cli.Context, s *session) error {
	id := c.Int64("id")
	if err := s.mails.RetryMail(s.ctx, id); err != nil {
		return err
	}
	m, err := s.mails.Mail(s.ctx, id)
	if err != nil {
		return err
	}
	return s.print(m, func(w io.Writer) { fmt.Fprintf(w, "mail %d is due now\n", m.ID) })
}
