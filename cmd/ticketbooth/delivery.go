package main

import (
	"crypto/x509"
	"encoding/asn1"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ticketbooth-go/ticketbooth/delivery"
	"github.com/ticketbooth-go/ticketbooth/delivery/pkpass"
	"github.com/ticketbooth-go/ticketbooth/ledger/sqlstore"
)

// passPasswordEnv holds the password of --pass-p12: an environment variable only, so that
// it never shows in a process list or a shell history.
const passPasswordEnv = "TICKETBOOTH_PASS_P12_PASSWORD"

// deliveryFlags configure what `serve` mails: the base of the links and the Apple Wallet
// pass signer.
func deliveryFlags() []cli.Flag {
	file := func(name, env, usage string) cli.Flag {
		return &cli.StringFlag{Name: name, EnvVars: []string{env}, Usage: usage}
	}
	return []cli.Flag{
		file("public-url", "TICKETBOOTH_PUBLIC_URL", "the base `URL` customers' phones reach this server at, for the wallet links in e-mails, e.g. https://tickets.example.org (default: http(s)://ADDR)"),
		file("pass-cert", "TICKETBOOTH_PASS_CERT", "attach Apple Wallet passes signed with the pass certificate `FILE` (PEM or Apple's .cer), with --pass-key and --pass-wwdr"),
		file("pass-key", "TICKETBOOTH_PASS_KEY", "the PEM private key `FILE` of --pass-cert"),
		file("pass-p12", "TICKETBOOTH_PASS_P12", "or the pass certificate and its key as a .p12 `FILE` (Keychain's export); its password only in the environment variable "+passPasswordEnv),
		file("pass-wwdr", "TICKETBOOTH_PASS_WWDR", "Apple's WWDR intermediate certificate `FILE` (AppleWWDRCAG4.cer, PEM or DER) that issued the pass certificate"),
		file("pass-type-id", "TICKETBOOTH_PASS_TYPE_ID", "the pass type `ID` registered with Apple, e.g. pass.org.example.tickets (default: the certificate's)"),
		file("pass-team-id", "TICKETBOOTH_PASS_TEAM_ID", "the Apple developer team `ID` (default: the certificate's)"),
		file("pass-organization", "TICKETBOOTH_PASS_ORGANIZATION", "the organizer's `NAME` the passes show (default: the certificate's organization)"),
		&cli.StringSliceFlag{Name: "pass-location", EnvVars: []string{"TICKETBOOTH_PASS_LOCATIONS"},
			Usage: "`VENUE=LAT,LON`: where a venue is (named as its contracts name it, without commas), so its passes show on the lock screen nearby; repeat for several"},
	}
}

// outboxDir is the folder mails are written into: beside a SQLite file, FILE.outbox; for
// PostgreSQL, ticketbooth.outbox in the working directory.
func outboxDir(db string) string {
	if sqlstore.IsPostgres(db) {
		return "ticketbooth.outbox"
	}
	return db + ".outbox"
}

// publicURL reads --public-url: an http or https URL with a host; base (the address
// served) when not given.
func publicURL(c *cli.Context, base string) (string, error) {
	s := c.String("public-url")
	if s == "" {
		return base, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", usagef("--public-url must be an http or https URL such as https://tickets.example.org, not %q", s)
	}
	return strings.TrimRight(s, "/"), nil
}

// passes reads the pass flags: nil when no pass certificate is given.
func passes(c *cli.Context) (*delivery.Passes, error) {
	pemGiven, p12Given := c.String("pass-cert") != "" || c.String("pass-key") != "", c.String("pass-p12") != ""
	switch {
	case !pemGiven && !p12Given:
		if c.String("pass-wwdr") != "" || c.String("pass-type-id") != "" || c.IsSet("pass-location") {
			return nil, usagef("the pass flags need the pass certificate: --pass-cert and --pass-key, or --pass-p12")
		}
		return nil, nil
	case pemGiven && p12Given:
		return nil, usagef("give the pass certificate as --pass-cert and --pass-key, or as --pass-p12, not both")
	case pemGiven && (c.String("pass-cert") == "" || c.String("pass-key") == ""):
		return nil, usagef("--pass-cert and --pass-key go together: the certificate and its private key")
	}
	s, err := loadSigner(c)
	if err != nil {
		return nil, err
	}
	ps := &delivery.Passes{Signer: s, Issuer: passIssuer(c, s.Cert)}
	if ps.Issuer.PassTypeIdentifier == "" || ps.Issuer.TeamIdentifier == "" {
		return nil, usagef("--pass-type-id and --pass-team-id are needed: the pass certificate names neither")
	}
	if ps.Locations, err = passLocations(c.StringSlice("pass-location")); err != nil {
		return nil, err
	}
	_, err = pkpass.Sign([]byte("{}"), s)
	return ps, err
}

func loadSigner(c *cli.Context) (pkpass.Signer, error) {
	if p12 := c.String("pass-p12"); p12 != "" {
		return pkpass.LoadP12(p12, os.Getenv(passPasswordEnv), c.String("pass-wwdr"))
	}
	return pkpass.LoadPEM(c.String("pass-cert"), c.String("pass-key"), c.String("pass-wwdr"))
}

// oidUserID is the subject attribute (UID) in which Apple's pass certificates name their
// pass type ID.
var oidUserID = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

// passIssuer names the pass type, team and organization: the flags', else what Apple's
// pass certificate says (UID: the pass type ID, OU: the team, O: the organization).
func passIssuer(c *cli.Context, cert *x509.Certificate) pkpass.Issuer {
	iss := pkpass.Issuer{PassTypeIdentifier: c.String("pass-type-id"), TeamIdentifier: c.String("pass-team-id"),
		OrganizationName: c.String("pass-organization")}
	for _, n := range cert.Subject.Names {
		if v, ok := n.Value.(string); ok && n.Type.Equal(oidUserID) && iss.PassTypeIdentifier == "" {
			iss.PassTypeIdentifier = v
		}
	}
	if len(cert.Subject.OrganizationalUnit) > 0 && iss.TeamIdentifier == "" {
		iss.TeamIdentifier = cert.Subject.OrganizationalUnit[0]
	}
	if iss.OrganizationName == "" && len(cert.Subject.Organization) > 0 {
		iss.OrganizationName = cert.Subject.Organization[0]
	}
	if iss.OrganizationName == "" {
		iss.OrganizationName = "Ticketbooth"
	}
	return iss
}

// passLocations reads VENUE=LAT,LON values. The flag's values come split at every comma
// (and trimmed), so they are joined again and cut after each longitude; a venue's name
// must hold no comma.
func passLocations(values []string) (map[string]pkpass.Location, error) {
	var entries []string
	cur := ""
	for i, part := range strings.Split(strings.Join(values, ","), ",") {
		if i > 0 && cur != "" {
			cur += ","
		}
		cur += part
		if eq := strings.LastIndexByte(cur, '='); eq >= 0 && strings.Contains(cur[eq+1:], ",") {
			entries, cur = append(entries, cur), ""
		}
	}
	if cur != "" {
		entries = append(entries, cur)
	}
	out := make(map[string]pkpass.Location, len(entries))
	for _, v := range entries {
		if v == "" {
			continue
		}
		i := strings.LastIndexByte(v, '=')
		lat, lon, ok := strings.Cut(v[i+1:], ",")
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if i <= 0 || !ok || err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 {
			return nil, usagef("--pass-location %q must be VENUE=LATITUDE,LONGITUDE, e.g. \"Globe=51.5081,-0.0972\"", v)
		}
		out[v[:i]] = pkpass.Location{Latitude: la, Longitude: lo}
	}
	return out, nil
}
