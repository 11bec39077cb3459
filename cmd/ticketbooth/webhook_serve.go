package main

import (
	"context"
	"log/slog"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/delivery/webhook"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// webhookFlags configure the webhook senders of `serve`.
func webhookFlags() []cli.Flag {
	return []cli.Flag{
		&cli.IntFlag{Name: "webhook-workers", Value: webhook.DefaultWorkers, EnvVars: []string{"TICKETBOOTH_WEBHOOK_WORKERS"},
			Usage: "at most `N` webhook deliveries sent at once"},
		&cli.DurationFlag{Name: "webhook-timeout", Value: webhook.DefaultTimeout, EnvVars: []string{"TICKETBOOTH_WEBHOOK_TIMEOUT"},
			Usage: "longest `DURATION` one webhook attempt may take (connecting, TLS, sending, the answer)"},
		&cli.BoolFlag{Name: "webhook-allow-private", EnvVars: []string{"TICKETBOOTH_WEBHOOK_ALLOW_PRIVATE"},
			Usage: "allow webhook endpoints on private and link-local addresses (refused by default: the server must not be made to reach its own network)"},
	}
}

// startWebhooks checks the flags, starts the webhook dispatcher on the store and returns
// the function that stops it, once the attempts in flight are recorded.
func startWebhooks(ctx context.Context, c *cli.Context, st *sqlstore.Store, log *slog.Logger) (stop func(), err error) {
	if c.Int("webhook-workers") < 1 {
		return nil, usagef("--webhook-workers must be at least 1")
	}
	if c.Duration("webhook-timeout") <= 0 {
		return nil, usagef("--webhook-timeout must be a positive duration such as 10s")
	}
	st.Webhooks.AllowPrivate = c.Bool("webhook-allow-private")
	d := &webhook.Dispatcher{Queue: st.Webhooks, Workers: c.Int("webhook-workers"), Timeout: c.Duration("webhook-timeout"),
		AllowPrivate: st.Webhooks.AllowPrivate, Log: log}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	return func() { cancel(); <-done }, nil
}
