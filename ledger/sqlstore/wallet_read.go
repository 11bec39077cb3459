package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// walletLink is a valid link found by its token: its keys, its customer and the
// customer's language.
type walletLink struct {
	keys     walletKeys
	customer int64
	language string
}

// link finds the token's valid link: ErrWalletToken when the token is malformed,
// unknown or revoked, or its customer was erased.
func (s *Wallets) link(r runner, token string) (walletLink, error) {
	k, err := deriveWalletKeys(token)
	if err != nil {
		return walletLink{}, err
	}
	l := walletLink{keys: k}
	var locale string
	var revoked, erased int64
	err = r.row(`SELECT l.customer, l.revoked_at, c.locale, c.erased FROM wallet_links l JOIN customers c ON c.id = l.customer
		WHERE l.token_hash = ?`, k.hash).Scan(&l.customer, &revoked, &locale, &erased)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && (revoked != 0 || erased != 0):
		return walletLink{}, ledger.ErrWalletToken()
	case err != nil:
		return walletLink{}, err
	}
	l.language = ledger.WalletLanguage(locale)
	return l, nil
}

// walletTicketsSQL reads the tickets a customer holds now: those of the customer's
// bookings and those any of the customer's links has a code for, each kept only while
// its owner is the customer's account (?: the sender, the customer twice, the link).
const walletTicketsSQL = `WITH mine (contract, sale, idx) AS (
		SELECT t.contract, t.sale, t.idx FROM bookings b JOIN tickets t ON t.booking = b.id AND t.booking <> 0 WHERE b.customer = ?
		UNION
		SELECT wc.contract, wc.sale, wc.idx FROM wallet_links wl JOIN wallet_codes wc ON wc.token_hash = wl.token_hash WHERE wl.customer = ?)
	SELECT t.contract, t.sale, t.idx, st.section, st.number, st.letter, t.ticket_type, t.format, t.checked_in_at,
		t.secret_digest, COALESCE(wc.secret_digest, ''), sa.name, sa.show_time, sa.time_zone, c.venue
	FROM mine m
	JOIN tickets t ON t.contract = m.contract AND t.sale = m.sale AND t.idx = m.idx
	JOIN seats st ON st.contract = t.contract AND st.idx = t.idx
	JOIN sales sa ON sa.contract = t.contract AND sa.number = t.sale
	JOIN contracts c ON c.address = t.contract
	LEFT JOIN wallet_codes wc ON wc.token_hash = ? AND wc.contract = t.contract AND wc.sale = t.sale AND wc.idx = t.idx
	WHERE t.owner = ?
	ORDER BY sa.show_time, t.contract, t.sale, t.idx`

// Wallet returns the tickets the link's customer holds now, and the page's language:
// ErrWalletToken for a malformed, unknown or revoked token.
func (s *Wallets) Wallet(ctx context.Context, token string) (ledger.Wallet, error) {
	r := s.reader(ctx)
	l, err := s.link(r, token)
	if err != nil {
		return ledger.Wallet{}, s.internal("reading the wallet", err)
	}
	tickets, err := walletTickets(r, l.customer, l.keys.hash)
	if err != nil {
		return ledger.Wallet{}, s.internal("reading the wallet", err)
	}
	return ledger.Wallet{Language: l.language, Tickets: tickets}, nil
}

// CustomerTickets returns the tickets the customer holds now: ENOTFOUND for a customer
// the actor may not see.
func (s *Wallets) CustomerTickets(ctx context.Context, customer int64) ([]ledger.WalletTicket, error) {
	actor, err := ledger.Authorize(ctx, ledger.CustomerRoles...)
	if err != nil {
		return nil, err
	}
	r := s.reader(ctx)
	if _, err := loadCustomer(r, actor, customer); err != nil {
		return nil, s.internal("reading the customer's tickets", err)
	}
	tickets, err := walletTickets(r, customer, "")
	if err != nil {
		return nil, s.internal("reading the customer's tickets", err)
	}
	return tickets, nil
}

// walletTickets reads the tickets the customer holds now, with the codes of the link
// named tokenHash ("": none).
func walletTickets(r runner, customer int64, tokenHash string) ([]ledger.WalletTicket, error) {
	rows, err := r.rows(walletTicketsSQL, customer, customer, tokenHash, ledger.BookingSender(customer))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	tickets := []ledger.WalletTicket{}
	for rows.Next() {
		t, err := scanWalletTicket(rows)
		if err != nil {
			return nil, err
		}
		tickets = append(tickets, t)
	}
	return tickets, rows.Err()
}

// scanWalletTicket reads one row of walletTicketsSQL.
func scanWalletTicket(row scanner) (ledger.WalletTicket, error) {
	var t ledger.WalletTicket
	var idx int
	var checkedIn, showTime int64
	var digest, codeDigest string
	err := row.Scan(&t.Contract, &t.Sale, &idx, &t.Seat.Section, &t.Seat.Number, &t.Seat.Letter, &t.Type, &t.Format,
		&checkedIn, &digest, &codeDigest, &t.Show, &showTime, &t.TimeZone, &t.Venue)
	if err != nil {
		return t, err
	}
	t.ID = ledger.TicketID{Contract: t.Contract, Sale: t.Sale, Index: idx}.String()
	t.Time = time.Unix(showTime, 0).In(ledger.SaleDetails{TimeZone: t.TimeZone}.Location())
	t.Status = ledger.TicketIssued
	if checkedIn != 0 {
		t.Status = ledger.TicketCheckedIn
	}
	t.HasCode = codeDigest != "" && crypto.Equal([]byte(codeDigest), []byte(digest))
	return t, nil
}

// Code returns the QR text of the ticket kept under the token's link: ErrWalletToken for
// a malformed, unknown or revoked token, ENOTFOUND when the customer does not hold the
// ticket or the link has no code for it, ErrWalletReissued when the ticket's secret
// changed since the code was issued.
func (s *Wallets) Code(ctx context.Context, token string, id ledger.TicketID) (string, error) {
	r := s.reader(ctx)
	l, err := s.link(r, token)
	if err != nil {
		return "", s.internal("reading the wallet code", err)
	}
	var owner sql.NullString
	var digest, codeDigest, sealed string
	err = r.row(`SELECT t.owner, t.secret_digest, COALESCE(wc.secret_digest, ''), COALESCE(wc.sealed, '') FROM tickets t
		LEFT JOIN wallet_codes wc ON wc.token_hash = ? AND wc.contract = t.contract AND wc.sale = t.sale AND wc.idx = t.idx
		WHERE t.contract = ? AND t.sale = ? AND t.idx = ?`, l.keys.hash, id.Contract, id.Sale, id.Index).
		Scan(&owner, &digest, &codeDigest, &sealed)
	held := owner.String == ledger.BookingSender(l.customer)
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && sealed == "" && !held:
		return "", ledger.Errorf(ledger.ENOTFOUND, "Ticket %s is not in this wallet", id)
	case err != nil:
		return "", s.internal("reading the wallet code", err)
	case sealed == "":
		return "", ledger.Errorf(ledger.ENOTFOUND, "This link holds no code for ticket %s: open the link of the e-mail that brought the ticket, or ask for it to be sent again", id)
	case !held || !crypto.Equal([]byte(codeDigest), []byte(digest)):
		return "", ledger.ErrWalletReissued()
	}
	qr, err := l.keys.open(id, sealed)
	if err != nil {
		return "", s.internal("opening the wallet code", err)
	}
	return qr, nil
}
