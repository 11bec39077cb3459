package ledger

import (
	"context"
	"encoding/base64"
	"strings"
	"time"
)

// The wallet: each customer's page of their tickets, reached by a link that carries an
// unguessable token (WalletToken) in its fragment, "<public-url>/wallet#TOKEN". The
// ledger keeps only SHA-256 of a token, to find its link; the codes (QR texts) a mail
// gave the customer are kept sealed under a key derived from the token, so the server
// can show a code only while the link is presented. A link is revoked by its holder, or
// all of a customer's links by the box office or the organizer.

// WalletTokenBytes is how many random bytes a wallet token holds; its text is their
// unpadded base64url, WalletTokenLength characters.
const (
	WalletTokenBytes  = 32
	WalletTokenLength = 43
)

// WalletCode is the code of one ticket a wallet link may show: the contract, the seat,
// the ticket's QR text, and the digest of the secret it was issued with
// (crypto.SecretDigest), so that the code is shown only while the ticket keeps that
// secret (not after a reissue or a transfer).
type WalletCode struct {
	Contract     string
	Seat         Seat
	QR           string
	SecretDigest []byte
}

// WalletTicket is one of a wallet's tickets, as its page lists it: the ticket's id
// (TicketID's text), the show, venue and time (in the show's zone), the seat, its type
// ("" for the base price), format and status (TicketIssued or TicketCheckedIn), and
// whether this link holds the ticket's code (HasCode; a code issued with another secret
// than the ticket's current one counts as none).
type WalletTicket struct {
	ID       string    `json:"id"`
	Contract string    `json:"contract"`
	Sale     int64     `json:"sale"`
	Show     string    `json:"show"`
	Venue    string    `json:"venue"`
	Time     time.Time `json:"time"`
	TimeZone string    `json:"timeZone,omitempty"`
	Seat     Seat      `json:"seat"`
	Type     string    `json:"type,omitempty"`
	Format   string    `json:"format"`
	Status   string    `json:"status"`
	HasCode  bool      `json:"hasCode"`
}

// Wallet is what a wallet link shows: the language of its customer's page (the first
// part of their locale, "en" when none) and the customer's current tickets, those the
// customer's account holds now, by show time and seat. Nothing else of the customer.
type Wallet struct {
	Language string         `json:"language"`
	Tickets  []WalletTicket `json:"tickets"`
}

// Wallets keeps the customers' wallet links and the codes sealed under them.
// OpenLink and RevokeLinks act for the keys that may manage the customer (box office,
// the organizer that created the customer, the administrator); the methods that take a
// token act for whoever presents it, with no API key, and return EUNAUTHORIZED for a
// token that is malformed, unknown or revoked.
type Wallets interface {
	// OpenLink makes a new link for the customer and keeps the codes sealed under its
	// token, which it returns: the only time the token is known. The customer's older
	// links stay valid. ENOTFOUND for a customer the actor may not see, EINVALID for a
	// code of a seat the contract lacks.
	OpenLink(ctx context.Context, customer int64, codes []WalletCode) (token string, err error)
	// Wallet returns the tickets the link's customer holds now.
	Wallet(ctx context.Context, token string) (Wallet, error)
	// Code returns the QR text of the ticket kept under the link: ENOTFOUND when the
	// customer does not hold the ticket or the link has no code for it, EREFUSED in words
	// when the ticket was reissued or transferred since the code was issued.
	Code(ctx context.Context, token string, ticket TicketID) (string, error)
	// RevokeLink revokes the link of the token, for its holder.
	RevokeLink(ctx context.Context, token string) error
	// RevokeLinks revokes every link of the customer and returns how many were valid.
	RevokeLinks(ctx context.Context, customer int64) (int, error)
	// CustomerTickets returns the tickets the customer holds now, as their wallet lists
	// them (HasCode false), for the keys that may manage the customer: ENOTFOUND for a
	// customer the actor may not see.
	CustomerTickets(ctx context.Context, customer int64) ([]WalletTicket, error)
}

// WalletResend is what resending a customer's wallet by e-mail did: how many links were
// revoked, tickets reissued and mails queued, and the tickets left as they were, each
// with the reason in words (one already admitted, one the key may not reissue, a mail
// that could not be queued).
type WalletResend struct {
	Customer int64    `json:"customer"`
	Revoked  int      `json:"revoked"`
	Reissued int      `json:"reissued"`
	Mails    int      `json:"mails"`
	Skipped  []string `json:"skipped,omitempty"`
}

// The refusals of the wallet, in the customer's words.
const (
	msgWalletToken    = "This wallet link is not valid: it may have been revoked. Ask the box office or the organizer to send you a new one"
	msgWalletReissued = "This ticket was reissued or transferred: its code here no longer admits. Use the ticket's newest link or e-mail"
)

// ErrWalletToken is EUNAUTHORIZED: the wallet token is malformed, unknown or revoked.
func ErrWalletToken() *Error { return Errorf(EUNAUTHORIZED, msgWalletToken) }

// ErrWalletReissued is EREFUSED: the code kept under the link was issued with an older
// secret than the ticket's.
func ErrWalletReissued() *Error { return Errorf(EREFUSED, msgWalletReissued) }

// ParseWalletToken checks a wallet token's text (WalletTokenLength characters of
// unpadded base64url) and returns its bytes: ErrWalletToken otherwise. The token is
// never quoted back.
func ParseWalletToken(token string) ([]byte, error) {
	if len(token) != WalletTokenLength {
		return nil, ErrWalletToken()
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(b) != WalletTokenBytes {
		return nil, ErrWalletToken()
	}
	return b, nil
}

// WalletLanguage returns the wallet page's language for a customer's locale: "de" for
// a German locale ("de", "de-CH"), else "en".
func WalletLanguage(locale string) string {
	lang, _, _ := strings.Cut(strings.ToLower(strings.ReplaceAll(locale, "_", "-")), "-")
	if lang == "de" {
		return "de"
	}
	return "en"
}

// RenewWalletLink makes a new link for the customer, holding no codes, after revoking
// every link the customer has when revoke is set; it returns the token (shown only this
// once) and how many links were revoked. Errors are the Wallets'.
func RenewWalletLink(ctx context.Context, w Wallets, customer int64, revoke bool) (token string, revoked int, err error) {
	if revoke {
		if revoked, err = w.RevokeLinks(ctx, customer); err != nil {
			return "", 0, err
		}
	}
	token, err = w.OpenLink(ctx, customer, nil)
	return token, revoked, err
}
