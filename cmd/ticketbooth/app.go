package main

import (
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	app := &cli.App{
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
			reissueCommand(),
			transferCommand(),
			resaleCommand(),
			customerCommand(),
			bookingCommand(),
			mailCommand(),
			webhookCommand(),
			issueCommand(),
			scanCommand(),
			gatePolicyCommand(),
			decodeCommand(),
			ledgerCommand(),
			demoCommand(),
			loadtestCommand(),
		},
		OnUsageError:    func(c *cli.Context, err error, _ bool) error { return usageError{err.Error()} },
		ExitErrHandler:  func(*cli.Context, error) {},
		HideHelpCommand: true,
		Suggest:         true, // ticketbooth reserv: Did you mean "reserve"?
	}
	requireInAction(app.Commands)
	return app
}

func init() {
	urfaveFlagString := cli.FlagStringer
	cli.FlagStringer = func(f cli.Flag) string { return flagHelp(f, urfaveFlagString(f)) }
}

// flagHelp drops the default urfave/cli appends to a flag's help when the usage already
// says it, or when it is only the zero value (0, false, 0s, ""): each default once.
func flagHelp(f cli.Flag, text string) string {
	df, ok := f.(cli.DocGenerationFlag)
	if !ok || df.GetDefaultText() == "" {
		return text
	}
	d := df.GetDefaultText()
	if strings.Contains(df.GetUsage(), "(default") || d == "0" || d == "false" || d == "0s" || d == `""` {
		return strings.Replace(text, " (default: "+d+")", "", 1)
	}
	return text
}

// requireInAction checks required flags in the command itself instead of urfave/cli,
// which prints the whole help on standard output before its error: a missing flag is one
// line on standard error and exit 2. The flags' help says "(required)".
func requireInAction(cmds []*cli.Command) {
	for _, cmd := range cmds {
		requireInAction(cmd.Subcommands)
		var names []string
		for _, f := range cmd.Flags {
			if name := unrequire(f); name != "" {
				names = append(names, name)
			}
		}
		if action := cmd.Action; len(names) > 0 && action != nil {
			cmd.Action = func(c *cli.Context) error {
				var missing []string
				for _, n := range names {
					if !c.IsSet(n) {
						missing = append(missing, "--"+n)
					}
				}
				if len(missing) > 0 {
					return usagef("%s required (see %s --help)", strings.Join(missing, ", "), c.Command.HelpName)
				}
				return action(c)
			}
		}
	}
}

// unrequire clears a flag's Required mark, noting it in its usage, and returns its name;
// "" for a flag that was not required.
func unrequire(f cli.Flag) string {
	switch f := f.(type) {
	case *cli.StringFlag:
		if f.Required {
			f.Required, f.Usage = false, f.Usage+" (required)"
			return f.Name
		}
	case *cli.StringSliceFlag:
		if f.Required {
			f.Required, f.Usage = false, f.Usage+" (required)"
			return f.Name
		}
	case *cli.Int64Flag:
		if f.Required {
			f.Required, f.Usage = false, f.Usage+" (required)"
			return f.Name
		}
	}
	return ""
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
