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

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
	"github.com/ticketbooth-go/ticketbooth/server"
)

func serveCommand() *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "serve the HTTP API on the ledger",
		UsageText: "ticketbooth serve [--db FILE] [--addr HOST:PORT] [--block-interval 16s]",
		Flags: []cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", EnvVars: []string{"TICKETBOOTH_ADDR"}, Usage: "listen on `HOST:PORT`"},
			&cli.DurationFlag{Name: "block-interval", Value: ledger.DefaultBlockInterval, EnvVars: []string{"TICKETBOOTH_BLOCK_INTERVAL"},
				Usage: "block time of a new ledger (an existing ledger keeps the one it was created with)"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "request log format: text or json"},
		},
		Action: serve,
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
	interval := time.Duration(0)
	if c.IsSet("block-interval") {
		interval = c.Duration("block-interval")
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := sqlstore.Open(ctx, c.String("db"), sqlstore.Options{BlockInterval: interval, Logger: log})
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", c.String("addr"))
	if err != nil {
		return usagef("cannot listen on %s: %v", c.String("addr"), err)
	}
	srv := &http.Server{Handler: server.New(st, st, log), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(c.App.Writer, "ticketbooth serving %s on http://%s (block interval %s)\n", c.String("db"), ln.Addr(), st.Clock().Interval)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
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
