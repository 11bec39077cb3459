package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/internal/wiring"
	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/season"
	"github.com/ticketbooth-go/ticketbooth/server"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:  "serve",
		Usage: "serve the HTTP API on the ledger",
		UsageText: "ticketbooth serve [--db FILE] [--addr HOST:PORT] [--block-interval 16s]\n" +
			"   ticketbooth serve --addr 0.0.0.0:8443 --tls-self-signed [--tls-hosts 10.0.0.5,gate.local]\n" +
			"   ticketbooth serve --addr :443 --tls-cert cert.pem --tls-key key.pem",
		Description: "Serves the HTTP API, the gate scanner page at /scan/ADDRESS and the entry dashboard at " +
			"/dashboard/ADDRESS. Phones give a page the camera only over HTTPS (or on localhost): on a venue's " +
			"network use --tls-cert/--tls-key, or --tls-self-signed to make and keep a certificate beside --db.",
		Flags: append([]cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", EnvVars: []string{"TICKETBOOTH_ADDR"}, Usage: "listen on `HOST:PORT`"},
			&cli.DurationFlag{Name: "block-interval", Value: ledger.DefaultBlockInterval, EnvVars: []string{"TICKETBOOTH_BLOCK_INTERVAL"},
				Usage: "block time of a new ledger (an existing ledger keeps the one it was created with)"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "request log format: text or json"},
			&cli.StringFlag{Name: "dsn", Value: season.DefaultDSN, EnvVars: []string{"TICKETBOOTH_DSN"},
				Usage: "the `NAME` partners give this ledger on the command API (?dsn=NAME); their keys name the DSNs they may use"},
			&cli.DurationFlag{Name: "poll-deadline", Value: season.DefaultDeadline, EnvVars: []string{"TICKETBOOTH_POLL_DEADLINE"},
				Usage: "the command API answers 202 (poll again) for a command not done within `DURATION` (1ms to 1m)"},
		}, append(append(append(append(timeoutFlags(), tlsFlags()...), mailFlags()...), webhookFlags()...), deliveryFlags()...)...),
		Action: serve,
	}
}

// timeoutFlags bound how long one client may hold a connection (server.Timeouts).
func timeoutFlags() []cli.Flag {
	d := server.DefaultTimeouts
	return []cli.Flag{
		&cli.DurationFlag{Name: "read-timeout", Value: d.Read, EnvVars: []string{"TICKETBOOTH_READ_TIMEOUT"},
			Usage: "longest time a client may take to send a whole request, body included"},
		&cli.DurationFlag{Name: "write-timeout", Value: d.Write, EnvVars: []string{"TICKETBOOTH_WRITE_TIMEOUT"},
			Usage: "longest time a client may take to receive an answer (the ticket list of a stadium included)"},
		&cli.DurationFlag{Name: "idle-timeout", Value: d.Idle, EnvVars: []string{"TICKETBOOTH_IDLE_TIMEOUT"},
			Usage: "how long an idle kept-alive connection stays open"},
	}
}

// timeouts reads the timeout flags: each must be positive.
func timeouts(c *cli.Context) (server.Timeouts, error) {
	t := server.Timeouts{ReadHeader: server.DefaultTimeouts.ReadHeader,
		Read: c.Duration("read-timeout"), Write: c.Duration("write-timeout"), Idle: c.Duration("idle-timeout")}
	for _, f := range []string{"read-timeout", "write-timeout", "idle-timeout"} {
		if c.Duration(f) <= 0 {
			return t, usagef("--%s must be a positive duration such as 30s", f)
		}
	}
	t.ReadHeader = min(t.ReadHeader, t.Read)
	return t, nil
}

func tlsFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "tls-cert", EnvVars: []string{"TICKETBOOTH_TLS_CERT"}, Usage: "serve HTTPS with the PEM certificate `FILE` (with --tls-key)"},
		&cli.StringFlag{Name: "tls-key", EnvVars: []string{"TICKETBOOTH_TLS_KEY"}, Usage: "the PEM private key `FILE` of --tls-cert"},
		&cli.BoolFlag{Name: "tls-self-signed", EnvVars: []string{"TICKETBOOTH_TLS_SELF_SIGNED"},
			Usage: "serve HTTPS with a self-signed certificate for --tls-hosts, made once and kept beside --db"},
		&cli.StringSliceFlag{Name: "tls-hosts", EnvVars: []string{"TICKETBOOTH_TLS_HOSTS"},
			Usage: "`HOSTS` (IP addresses and names, comma-separated) the self-signed certificate names (default: this machine's name and addresses)"},
	}
}

func logger(c *cli.Context) (*slog.Logger, error) {
	switch c.String("log-format") {
	case "text":
		return slog.New(slog.NewTextHandler(c.App.ErrWriter, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(c.App.ErrWriter, nil)), nil
	}
	return nil, usagef("--log-format must be text or json")
}

func serve(c *cli.Context) error {
	log, err := logger(c)
	if err != nil {
		return err
	}
	limits, err := timeouts(c)
	if err != nil {
		return err
	}
	if err := ledger.CheckDSN(c.String("dsn")); err != nil {
		return usagef("--dsn: %s", ledger.ErrorMessage(err))
	}
	if d := c.Duration("poll-deadline"); d < time.Millisecond || d > time.Minute {
		return usagef("--poll-deadline %s: give a time from 1ms to 1m (3s by default)", d)
	}
	ps, err := passes(c)
	if err != nil {
		return err
	}
	interval := time.Duration(0)
	if c.IsSet("block-interval") {
		interval = c.Duration("block-interval")
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	key, err := deliveryKey(c)
	if err != nil {
		return err
	}
	mails, err := mailSetup(c, key)
	if err != nil {
		return err
	}
	st, err := sqlstore.Open(ctx, c.String("db"), sqlstore.Options{BlockInterval: interval, Logger: log, Serving: true, DeliveryKey: key})
	if err != nil {
		return err
	}
	defer st.Close()
	defer sweepHolds(ctx, st)()
	tc, err := tlsSetup(c, time.Now())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.String("addr"))
	if err != nil {
		return usagef("cannot listen on %s: %v", c.String("addr"), err)
	}
	stopWebhooks, err := startWebhooks(ctx, c, st, log)
	if err != nil {
		return err
	}
	defer stopWebhooks()
	svc := wiring.Services(st)
	defer mails.start(ctx, st, &svc, log)()
	base := tc.baseURL(ln.Addr())
	public, err := publicURL(c, base)
	if err != nil {
		return err
	}
	svc = wiring.Mailing(svc, st, wiring.Mailer{PublicURL: public, Passes: ps, Log: log,
		From: c.String("mail-from"), ReplyTo: c.String("mail-reply-to")})
	if svc, err = wiring.Season(svc, st, c.String("dsn"), log, season.Polling{Deadline: c.Duration("poll-deadline")}); err != nil {
		return err
	}
	h, err := server.New(svc, log)
	if err != nil {
		return err
	}
	srv := server.HTTPServer(tc.handler(h), limits)
	fmt.Fprintf(c.App.Writer, "ticketbooth serving %s on %s (block interval %s)\n", st.Name(), base, st.Clock().Interval)
	fmt.Fprintf(c.App.Writer, "gate scanner %s/scan/ADDRESS, entry dashboard %s/dashboard/ADDRESS\n", base, base)
	tc.describe(c.App.Writer, base)
	mails.describe(c.App.Writer)
	errc := make(chan error, 1)
	go func() { errc <- tc.serve(srv, ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(c.App.Writer, "ticketbooth stopped")
	return nil
}

// holdSweepInterval is how often `serve` expires the holds of bookings not confirmed in
// time (sqlstore.Bookings.ExpireHoldsEvery).
const holdSweepInterval = 5 * time.Second

// sweepHolds starts the sweeper of expired holds and returns the function that stops it
// and waits for it, before the store closes.
func sweepHolds(ctx context.Context, st *sqlstore.Store) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		st.Bookings.ExpireHoldsEvery(ctx, holdSweepInterval)
	}()
	return func() { cancel(); <-done }
}
