package ledger

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"
)

// SeasonAccount is what the season-ticketing command API keeps of an account beyond its
// customer: its external ids, whether it has a pin, and whether it is locked. The pin
// itself is kept only as HashPin's hash, and never answered.
type SeasonAccount struct {
	Customer int64
	AltIDs   []AltID
	HasPin   bool
	Locked   bool
}

// AltID is an account's id in another system: its type (the system, "crm") and the id.
type AltID struct {
	Type string `json:"alt_id_type"`
	ID   string `json:"alt_id"`
}

// SeasonAccountChange changes an account's pin (Pin: the new pin, "" removes it), lock
// and external ids (AltIDs: all of them, replacing the ones it had); nil leaves each as it is.
type SeasonAccountChange struct {
	Pin    *string
	Locked *bool
	AltIDs *[]AltID
}

// Limits of an account's pin and external ids.
const (
	MinPinLen   = 4
	MaxPinLen   = 32
	MaxAltIDLen = 64
	MaxAltIDs   = 8
)

// SeasonAccounts keeps the command API's accounts: box-office keys and the
// administrator may use it (EUNAUTHORIZED without a key, EFORBIDDEN for another), on
// customers they may see.
type SeasonAccounts interface {
	// SeasonAccount returns what is kept of the customer's account (nothing yet: no alt
	// ids, no pin, not locked): ENOTFOUND for no such customer, or an erased one.
	SeasonAccount(ctx context.Context, customer int64) (SeasonAccount, error)
	// AccountByAltID returns the customer whose external id it is: ENOTFOUND for none.
	AccountByAltID(ctx context.Context, id AltID) (int64, error)
	// CheckPin checks the pin against the account's: EREFUSED in words when the account
	// has no pin, another, or is locked.
	CheckPin(ctx context.Context, customer int64, pin string) error
	// ChangeSeasonAccount applies the change and returns the account as it then is:
	// EINVALID for a malformed pin or id, EREFUSED for an external id that is another
	// customer's, ENOTFOUND for no such customer.
	ChangeSeasonAccount(ctx context.Context, customer int64, change SeasonAccountChange) (SeasonAccount, error)
}

// CheckPinText checks a new pin: MinPinLen to MaxPinLen characters, no spaces or control
// characters. EINVALID in words.
func CheckPinText(pin string) error {
	n := utf8.RuneCountInString(pin)
	if n < MinPinLen || n > MaxPinLen || strings.ContainsFunc(pin, func(r rune) bool { return r <= ' ' || r == 0x7f }) || !utf8.ValidString(pin) {
		return Errorf(EINVALID, "A pin is %d to %d characters without spaces", MinPinLen, MaxPinLen)
	}
	return nil
}

// CheckAltID checks an external id: a type and an id of 1 to MaxAltIDLen characters
// each, of text (CheckText). EINVALID in words.
func CheckAltID(id AltID) error {
	if id.Type == "" || id.ID == "" || len(id.Type) > MaxAltIDLen || len(id.ID) > MaxAltIDLen {
		return Errorf(EINVALID, "An external id needs a type and an id of 1 to %d characters each", MaxAltIDLen)
	}
	if err := CheckText("The type of an external id", id.Type); err != nil {
		return err
	}
	return CheckText("An external id", id.ID)
}

// pinIterations is PBKDF2's cost for a pin: pins are short, so each guess must cost.
const pinIterations = 60000

// HashPin hashes a pin for keeping: "pbkdf2-sha256$ITERATIONS$SALT$HASH" (base64), with a
// fresh random salt.
func HashPin(pin string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	return formatPinHash(pinIterations, salt, pin)
}

func formatPinHash(iterations int, salt []byte, pin string) string {
	key, _ := pbkdf2.Key(sha256.New, pin, salt, iterations, 32)
	enc := base64.RawStdEncoding
	return "pbkdf2-sha256$" + strconv.Itoa(iterations) + "$" + enc.EncodeToString(salt) + "$" + enc.EncodeToString(key)
}

// PinMatches reports whether pin is the pin hash was made of (HashPin), in constant time.
func PinMatches(hash, pin string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 4 || parts[0] != "pbkdf2-sha256" {
		return false
	}
	iterations, err := strconv.Atoi(parts[1])
	salt, err2 := base64.RawStdEncoding.DecodeString(parts[2])
	if err != nil || err2 != nil || iterations < 1 || iterations > 10*pinIterations {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(formatPinHash(iterations, salt, pin)), []byte(hash)) == 1
}
