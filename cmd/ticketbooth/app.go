package main

import (
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	return &cli.App{
		Name:      "ticketbooth",
		Usage:     "sell, print and check tickets on an auditable ledger",
		UsageText: "ticketbooth COMMAND [flags]   (ticketbooth COMMAND --help for each)",
		Description: "Every command works in-process on an embedded SQLite file (--db, the default) " +
			"or against a running server (--server URL --key KEY).",
		Reader:    stdin,
		Writer:    stdout,
		ErrWriter: stderr,
		Commands: []*cli.Command{
			serveCommand(),
			keysCommand(),
			contractCommand(),
			rulesCommand(),
			saleCommand(),
			ticketsCommand(),
			reserveCommand(),
			releaseCommand(),
			issueCommand(),
			scanCommand(),
			decodeCommand(),
			ledgerCommand(),
			demoCommand(),
			loadtestCommand(),
		},
		OnUsageError:    func(c *cli.Context, err error, _ bool) error { return usageError{err.Error()} },
		ExitErrHandler:  func(*cli.Context, error) {},
		HideHelpCommand: true,
	}
}

// isFlagError reports whether err is one of urfave/cli's own complaints about flags.
func isFlagError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "flag provided but not defined") || strings.Contains(s, "Required flag") ||
		strings.Contains(s, "invalid value") || strings.Contains(s, "flag needs an argument")
}

// flagsFirst refuses a flag written after the file arguments, which urfave/cli would
// otherwise take for a file name (or, worse, run without).
func flagsFirst(c *cli.Context) error {
	for _, a := range c.Args().Slice() {
		if strings.HasPrefix(a, "--") || (strings.HasPrefix(a, "-") && len(a) > 1) {
			return usagef("flags must come before the files: %s was given after them", a)
		}
	}
	return nil
}
