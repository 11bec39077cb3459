package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

func keysCommand() *cli.Command {
	return &cli.Command{
		Name:  "keys",
		Usage: "create, list, show and revoke API keys (in-process on --db only)",
		Subcommands: []*cli.Command{
			{
				Name:  "create",
				Usage: "create an API key; prints it alone on the last line (it is shown only once)",
				UsageText: "ticketbooth keys create --role organizer|box-office|scanner --name TEXT [--db FILE]\n" +
					"   ticketbooth keys create --role partner --name TEXT --product sth-hold --dsn main [--dsn other] [--per-minute 80] [--per-day 5000]",
				Flags: append([]cli.Flag{dbFlag(),
					&cli.StringFlag{Name: "role", Required: true, Usage: "organizer, box-office, scanner or partner (a partner system on the command API)"},
					&cli.StringFlag{Name: "name", Required: true, Usage: "who or what holds the key, e.g. 'north gate'"},
					&cli.BoolFlag{Name: "json", Usage: "print JSON for scripts: {id, name, role, key} (and a partner's grant)"},
					quietFlag(),
				}, grantFlags()...),
				Action: keysCreate,
			},
			{
				Name:   "list",
				Usage:  "list API keys (never the keys themselves), partner keys with their grants",
				Flags:  []cli.Flag{dbFlag(), &cli.BoolFlag{Name: "json", Usage: "print JSON"}},
				Action: keysList,
			},
			{
				Name:      "show",
				Usage:     "show an API key; a partner key with its grant and its calls this minute and today (UTC), allowed and refused",
				UsageText: "ticketbooth keys show --id N [--db FILE] [--json]",
				Flags: []cli.Flag{dbFlag(), &cli.Int64Flag{Name: "id", Required: true, Usage: "the key's id from 'keys list'"},
					&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
				Action: keysShow,
			},
			{
				Name:      "revoke",
				Usage:     "revoke an API key by its id",
				UsageText: "ticketbooth keys revoke --id N [--db FILE]",
				Flags:     []cli.Flag{dbFlag(), &cli.Int64Flag{Name: "id", Required: true, Usage: "the key's id from 'keys list'"}},
				Action:    keysRevoke,
			},
		},
	}
}

func openStore(c *cli.Context) (*sqlstore.Store, error) {
	return sqlstore.Open(c.Context, c.String("db"), sqlstore.Options{})
}

func keysCreate(c *cli.Context) error {
	role, err := ledger.ParseRole(c.String("role"))
	if err != nil {
		return err
	}
	grant, err := grantOf(c, role)
	if err != nil {
		return err
	}
	st, err := openStore(c)
	if err != nil {
		return err
	}
	defer st.Close()
	var key string
	var rec sqlstore.Key
	if role == ledger.RolePartner {
		key, rec, err = st.Keys.CreatePartnerKey(c.Context, c.String("name"), grant)
	} else {
		key, rec, err = st.Keys.CreateKey(c.Context, role, c.String("name"))
	}
	if err != nil {
		return err
	}
	s := &session{out: c.App.Writer, json: c.Bool("json")}
	out := struct {
		ID    int64                `json:"id"`
		Name  string               `json:"name"`
		Role  ledger.Role          `json:"role"`
		Key   string               `json:"key"`
		Grant *ledger.PartnerGrant `json:"grant,omitempty"`
	}{rec.ID, rec.Name, rec.Role, key, nil}
	if role == ledger.RolePartner {
		out.Grant = &grant
	}
	return s.print(out, func(w io.Writer) {
		if !c.Bool("quiet") {
			fmt.Fprintf(w, "created %s key %d for %q; keep it secret, it is not shown again:\n", rec.Role, rec.ID, rec.Name)
			if out.Grant != nil {
				fmt.Fprintf(w, "it may use %s\n", grantWords(grant))
			}
		}
		fmt.Fprintln(w, key)
	})
}

func keysList(c *cli.Context) error {
	st, err := openStore(c)
	if err != nil {
		return err
	}
	defer st.Close()
	keys, err := listedKeys(c, st)
	if err != nil {
		return err
	}
	s := &session{out: c.App.Writer, json: c.Bool("json")}
	return s.print(keys, func(w io.Writer) {
		for _, k := range keys {
			printKeyLine(w, k)
		}
	})
}

func keysRevoke(c *cli.Context) error {
	st, err := openStore(c)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Keys.RevokeKey(c.Context, c.Int64("id")); err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "revoked key %d\n", c.Int64("id"))
	return nil
}
