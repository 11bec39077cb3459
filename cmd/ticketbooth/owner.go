package main

import (
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

func ownerFlag(usage string) cli.Flag {
	return &cli.StringFlag{Name: "owner", Usage: usage + ": an organizer key's `NAME-OR-ID` (as 'keys list' shows)"}
}

func quietFlag() cli.Flag {
	return &cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print only the result, for VAR=$(ticketbooth ...)"}
}

// ownerID turns --owner (a key's id, key:ID, or in-process a key's name) into the owner
// identifier the ledger records ("key:7").
func (s *session) ownerID(given string) (string, error) {
	given = strings.TrimSpace(given)
	if id, err := strconv.ParseInt(strings.TrimPrefix(given, "key:"), 10, 64); err == nil && id > 0 {
		return "key:" + strconv.FormatInt(id, 10), nil
	}
	if s.store == nil {
		return "", usagef("--owner %q: through a server, give the key's id (keys list on the server's database shows it)", given)
	}
	keys, err := s.store.Keys.List(s.ctx)
	if err != nil {
		return "", err
	}
	var found []int64
	for _, k := range keys {
		if k.Name == given && !k.Revoked && k.Role == ledger.RoleOrganizer {
			found = append(found, k.ID)
		}
	}
	switch len(found) {
	case 0:
		return "", ledger.Errorf(ledger.ENOTFOUND, "No organizer key named %q: see 'ticketbooth keys list'", given)
	case 1:
		return "key:" + strconv.FormatInt(found[0], 10), nil
	}
	return "", usagef("--owner %q: %d organizer keys have that name; give the key's id instead (see 'ticketbooth keys list')", given, len(found))
}
