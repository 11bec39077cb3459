package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func webhookCommand() *cli.Command {
	return &cli.Command{
		Name:  "webhook",
		Usage: "send the ledger's events to your HTTPS endpoints: add, list, remove, and watch or retry deliveries (organizer keys)",
		Subcommands: []*cli.Command{
			{
				Name:  "add",
				Usage: "register an endpoint and print its signing secret, shown this once",
				UsageText: "ticketbooth webhook add --url https://shop.example.com/hooks/ticketbooth [--event new-booking --event booking-confirmed]\n" +
					"   events: " + strings.Join(ledger.WebhookEventNames, ", "),
				Flags: append(connFlags(),
					&cli.StringFlag{Name: "url", Usage: "the endpoint's `URL`: https (http only on this machine)", Required: true},
					&cli.StringSliceFlag{Name: "event", Usage: "an `EVENT` to send (repeat; default: every event)"},
					quietFlag()),
				Action: webhookAction(webhookAdd),
			},
			{
				Name:   "list",
				Usage:  "list your endpoints (the administrator: every one)",
				Flags:  connFlags(),
				Action: webhookAction(webhookList),
			},
			{
				Name:   "remove",
				Usage:  "remove an endpoint and its deliveries: nothing more is sent to it",
				Flags:  append(connFlags(), webhookIDFlag()),
				Action: webhookAction(webhookRemove),
			},
			{
				Name:  "deliveries",
				Usage: "list an endpoint's deliveries, newest first, with every attempt (time, status, reason)",
				Flags: append(connFlags(), webhookIDFlag(),
					&cli.StringFlag{Name: "state", Usage: "only deliveries in `STATE`: pending, delivered or failed"},
					&cli.IntFlag{Name: "limit", Usage: fmt.Sprintf("at most `N` deliveries (default %d, at most %d)",
						ledger.DefaultDeliveryList, ledger.MaxDeliveryList)},
					&cli.Int64Flag{Name: "before", Usage: "the next page: the deliveries older than the one of this `ID`"}),
				Action: webhookAction(webhookDeliveries),
			},
			{
				Name:   "retry",
				Usage:  "send a delivery again as soon as a sender is free, whatever its state",
				Flags:  append(connFlags(), &cli.Int64Flag{Name: "delivery", Usage: "the delivery's `ID` (as 'webhook deliveries' printed it)", Required: true}),
				Action: webhookAction(webhookRetry),
			},
		},
	}
}

// webhookAction opens the ledger for a webhook command and runs fn with it.
func webhookAction(fn func(c *cli.Context, s *session) error) cli.ActionFunc {
	return func(c *cli.Context) error {
		s, err := open(c)
		if err != nil {
			return err
		}
		defer s.close()
		return fn(c, s)
	}
}

func webhookIDFlag() cli.Flag {
	return &cli.Int64Flag{Name: "id", Usage: "the endpoint's `ID` (as 'webhook add' or 'webhook list' printed it)", Required: true}
}

func webhookAdd(c *cli.Context, s *session) error {
	h, err := s.webhooks.AddWebhook(s.ctx, ledger.WebhookRequest{URL: c.String("url"), Events: c.StringSlice("event")})
	if err != nil {
		return err
	}
	if c.Bool("quiet") {
		fmt.Fprintln(s.out, h.Secret)
		return nil
	}
	return s.print(h, func(w io.Writer) {
		fmt.Fprintf(w, "added webhook %d: %s\nevents  %s\nsecret  %s\n", h.ID, h.URL, strings.Join(h.Events, ", "), h.Secret)
		fmt.Fprintln(w, "The secret is shown only this once: give it to the receiver, which checks each delivery's X-Ticketbooth-Signature with it.")
	})
}

func webhookList(c *cli.Context, s *session) error {
	hooks, err := s.webhooks.Webhooks(s.ctx)
	if err != nil {
		return err
	}
	return s.print(hooks, func(w io.Writer) {
		if len(hooks) == 0 {
			fmt.Fprintln(w, "no webhooks")
		}
		for _, h := range hooks {
			fmt.Fprintf(w, "%d  %s  (%s; owner %s, since %s)\n", h.ID, h.URL, strings.Join(h.Events, ", "), h.Owner, h.Created.Format(time.DateTime+" MST"))
		}
	})
}

func webhookRemove(c *cli.Context, s *session) error {
	if err := s.webhooks.RemoveWebhook(s.ctx, c.Int64("id")); err != nil {
		return err
	}
	return s.print(map[string]int64{"removed": c.Int64("id")}, func(w io.Writer) {
		fmt.Fprintf(w, "removed webhook %d\n", c.Int64("id"))
	})
}

func webhookDeliveries(c *cli.Context, s *session) error {
	ds, err := s.webhooks.WebhookDeliveries(s.ctx, ledger.DeliveryQuery{Webhook: c.Int64("id"), State: c.String("state"),
		Limit: c.Int("limit"), After: c.Int64("before")})
	if err != nil {
		return err
	}
	return s.print(ds, func(w io.Writer) {
		if len(ds) == 0 {
			fmt.Fprintln(w, "no deliveries")
		}
		for _, d := range ds {
			printDelivery(w, d)
		}
	})
}

// printDelivery writes a delivery's line and one indented line per attempt.
func printDelivery(w io.Writer, d ledger.WebhookDelivery) {
	next := ""
	if d.State == ledger.DeliveryPending {
		next = ", next attempt " + d.NextAttempt.Format(time.DateTime+" MST")
	}
	fmt.Fprintf(w, "delivery %d  %s  %s%s (transaction %s)\n", d.ID, d.Event, d.State, next, d.Transaction)
	for _, a := range d.Attempts {
		status := "no answer"
		if a.Status != 0 {
			status = fmt.Sprint(a.Status)
		}
		line := fmt.Sprintf("  attempt %d  %s  %s  %s", a.Number, a.At.Format(time.DateTime+" MST"), a.Duration.Round(time.Millisecond), status)
		if a.Error != "" {
			line += "  " + a.Error
		}
		fmt.Fprintln(w, line)
	}
}

func webhookRetry(c *cli.Context, s *session) error {
	d, err := s.webhooks.RetryWebhookDelivery(s.ctx, c.Int64("delivery"))
	if err != nil {
		return err
	}
	return s.print(d, func(w io.Writer) { printDelivery(w, d) })
}
