package main

import (
	"os"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/internal/demo"
)

func demoCommand() *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: "tell the whole story once on a fresh temporary ledger, one line a step",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "dir", Usage: "write the ledger, PDF tickets and QR images into `DIR` (default: a new temporary folder)"},
		},
		Action: func(c *cli.Context) error {
			dir, err := demoDir(c.String("dir"))
			if err != nil {
				return err
			}
			return demo.Run(c.Context, c.App.Writer, dir)
		},
	}
}

func demoDir(dir string) (string, error) {
	if dir == "" {
		return os.MkdirTemp("", "ticketbooth-demo-")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", usagef("cannot make --dir %s: %v", dir, err)
	}
	return dir, nil
}
