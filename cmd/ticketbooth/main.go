// Command ticketbooth sells, prints and checks tickets: it serves the HTTP API and runs
// every ledger operation, either in-process on an embedded SQLite file (--db) or against
// a running server (--server and --key).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	_ "time/tzdata" // show time zones work on machines without a zone database

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFailed   = 1 // the operation was refused or failed (conflict, not found, server down)
	exitUsage    = 2 // bad flags, arguments or input
	exitDenied   = 4 // no key, an unknown key or a key that may not do this
	exitInternal = 5 // a fault of ours
)

func main() {
	os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
}

// run runs the CLI with the arguments and streams and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	err := app.Run(args)
	if err == nil {
		return exitOK
	}
	if msg := oneLine(errorText(err)); msg != "" {
		fmt.Fprintf(stderr, "ticketbooth: %s\n", msg)
	}
	return exitStatus(err)
}

// usageError marks an error in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitStatus is the one place mapping errors to exit statuses.
func exitStatus(err error) int {
	var ue usageError
	var ee cli.ExitCoder
	switch {
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ee):
		if strings.HasPrefix(err.Error(), "No help topic") {
			return exitUsage // an unknown command
		}
		return ee.ExitCode()
	}
	switch ledger.ErrorCode(err) {
	case ledger.EINVALID:
		return exitUsage
	case ledger.EUNAUTHORIZED, ledger.EFORBIDDEN:
		return exitDenied
	case ledger.EINTERNAL:
		var le *ledger.Error
		if errors.As(err, &le) {
			return exitFailed // store and client errors already say what went wrong
		}
		if isFlagError(err) {
			return exitUsage
		}
		return exitInternal
	}
	return exitFailed
}

func errorText(err error) string {
	var le *ledger.Error
	if errors.As(err, &le) {
		return le.Message
	}
	if rest, ok := strings.CutPrefix(err.Error(), "No help topic for "); ok {
		return "unknown command " + rest // urfave/cli's words for it, with its suggestion after
	}
	return err.Error()
}

func oneLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
