package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// The holder key: a random secret kept in the meta table, made once by the first store
// that opens the ledger (servers starting together on one PostgreSQL database race, the
// first insert wins and every one reads it back, as with the clock). It turns senders
// into the pseudonymous addresses of the ticket list and the journal. It is never logged,
// never answered on any route, and never leaves the database except into this process.

// holderKeyName is the key's row in the meta table.
const holderKeyName = "holder_key"

// holderKey derives the pseudonymous holder addresses; never logged.
type holderKey []byte

// address is the pseudonymous address of sender's tickets sold by seller on the contract.
func (k holderKey) address(contract, seller, sender string) string {
	return ledger.HolderAddress(k, contract, seller, sender)
}

// initHolders reads (or makes) the holder key, then gives every ticket sold before
// holders existed its holder address.
func initHolders(ctx context.Context, s *db) (holderKey, error) {
	key, err := readHolderKey(ctx, s)
	if errors.Is(err, sql.ErrNoRows) {
		key, err = createHolderKey(ctx, s)
	}
	if err != nil {
		return nil, s.internal("reading the holder key", err)
	}
	if err := fillHolders(ctx, s.writer(ctx, nil), key); err != nil {
		return nil, s.internal("filling ticket holders", err)
	}
	return key, nil
}

func readHolderKey(ctx context.Context, s *db) (holderKey, error) {
	var text string
	if err := s.writer(ctx, nil).row(`SELECT value FROM meta WHERE name = ?`, holderKeyName).Scan(&text); err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(text)
	if err != nil || len(key) != ledger.HolderKeySize {
		return nil, ledger.Errorf(ledger.EINTERNAL, "database %s has a damaged holder key", s.name)
	}
	return key, nil
}

func createHolderKey(ctx context.Context, s *db) (holderKey, error) {
	key := make([]byte, ledger.HolderKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	_, err := s.writer(ctx, nil).exec(`INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`,
		holderKeyName, hex.EncodeToString(key))
	if err != nil {
		return nil, err
	}
	return readHolderKey(ctx, s)
}

// holdersFilledName marks in the meta table that fillHolders has run, so later opens
// skip its scan of the tickets.
const holdersFilledName = "holders_filled"

// fillHolders gives the sold tickets without a holder address (sold before migration
// 0005) theirs, with no selling key, as the journal's replay expects of them. It runs
// until one open has finished it.
func fillHolders(ctx context.Context, r runner, key holderKey) error {
	var done string
	err := r.row(`SELECT value FROM meta WHERE name = ?`, holdersFilledName).Scan(&done)
	if err == nil || !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err := fillOldHolders(r, key); err != nil {
		return err
	}
	_, err = r.exec(`INSERT INTO meta (name, value) VALUES (?, '1') ON CONFLICT (name) DO NOTHING`, holdersFilledName)
	return err
}

func fillOldHolders(r runner, key holderKey) error {
	rows, err := r.rows(`SELECT contract, sale, idx, owner FROM tickets WHERE owner IS NOT NULL AND holder = ''`)
	if err != nil {
		return err
	}
	type row struct {
		contract, owner string
		sale            int64
		idx             int
	}
	var todo []row
	for rows.Next() {
		var t row
		if err := rows.Scan(&t.contract, &t.sale, &t.idx, &t.owner); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, t)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	for _, t := range todo {
		if _, err := r.exec(`UPDATE tickets SET holder = ? WHERE contract = ? AND sale = ? AND idx = ? AND owner = ? AND holder = ''`,
			key.address(t.contract, "", t.owner), t.contract, t.sale, t.idx, t.owner); err != nil {
			return err
		}
	}
	return nil
}
