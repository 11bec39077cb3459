package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/ticketbooth-go/ticketbooth/crypto"
	"github.com/ticketbooth-go/ticketbooth/ledger"
)

// Keys is the store of API keys: it makes, lists and revokes them, and authenticates
// the bearer of one. Only the keys' hashes are stored.
type Keys struct {
	*db
	cache  keyCache
	grants grantCache // of partner keys (keys_partner.go)
}

// Key describes an API key; the key itself is never stored, only its hash.
type Key struct {
	ID      int64       `json:"id"`
	Name    string      `json:"name"`
	Role    ledger.Role `json:"role"`
	Revoked bool        `json:"revoked"`
}

// CreateKey makes a new API key for the role and returns it with its record. The key is
// shown this once: only its hash is kept.
func (s *Keys) CreateKey(ctx context.Context, role ledger.Role, name string) (string, Key, error) {
	if _, err := ledger.ParseRole(string(role)); err != nil {
		return "", Key{}, err
	}
	if role == ledger.RolePartner {
		return s.CreatePartnerKey(ctx, name, ledger.PartnerGrant{Product: ledger.PartnerProducts[0], DSNs: []string{"main"}})
	}
	return s.create(ctx, role, name, nil)
}

// create makes a key of the role, and runs also (when not nil) in the same transaction
// with the new key's id.
func (s *Keys) create(ctx context.Context, role ledger.Role, name string, also func(w *wtx, id int64) error) (string, Key, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return "", Key{}, ledger.Errorf(ledger.EINVALID, "a key needs a name of 1 to 100 characters (who or what holds it)")
	}
	if err := ledger.CheckText("A key's name", name); err != nil {
		return "", Key{}, err
	}
	key, err := crypto.NewAPIKey()
	if err != nil {
		return "", Key{}, s.internal("creating the key", err)
	}
	rec := Key{Name: name, Role: role}
	err = s.update(ctx, "creating the key", ledger.Actor{Admin: true}, "", lockNone, func(w *wtx) error {
		err := w.row(`INSERT INTO api_keys (id, hash, name, role, created_at) VALUES (`+s.d.nextKeyID+`, ?, ?, ?, ?) RETURNING id`,
			crypto.HashAPIKey(key), name, string(role), w.now.Unix()).Scan(&rec.ID)
		if err != nil || also == nil {
			return err
		}
		return also(w, rec.ID)
	})
	if err != nil {
		return "", Key{}, err
	}
	return key, rec, nil
}

// Authenticate returns the actor holding key: EUNAUTHORIZED for an unknown or revoked key.
// The lookup is by the key's hash, so the stored value reveals nothing and the comparison
// is the index's, not a byte-by-byte compare of the secret. A key found valid is trusted
// for KeyCacheTTL without asking the database again (every request of a rush carries
// one): revoked through this store it stops at once, through another server or process
// within KeyCacheTTL.
func (s *Keys) Authenticate(ctx context.Context, key string) (ledger.Actor, error) {
	hash := crypto.HashAPIKey(key)
	if a, ok := s.cache.get(hash); ok {
		return a, nil
	}
	return s.cache.lookup(ctx, hash, func(ctx context.Context) (ledger.Actor, error) {
		var a ledger.Actor
		var role string
		var revoked int
		err := s.reader(ctx).row(keyQuery, hash).
			Scan(&a.KeyID, &a.Name, &role, &revoked)
		if errors.Is(err, sql.ErrNoRows) || err == nil && revoked != 0 {
			return ledger.Actor{}, ledger.Errorf(ledger.EUNAUTHORIZED, "Unknown or revoked API key")
		}
		if err != nil {
			return ledger.Actor{}, s.internal("checking the key", err)
		}
		a.Role = ledger.Role(role)
		s.cache.put(hash, a)
		return a, nil
	})
}

// keyQuery finds an API key by its hash.
const keyQuery = `SELECT id, name, role, revoked FROM api_keys WHERE hash = ?`

// KeyCacheTTL is how long Authenticate trusts a key it found valid.
const KeyCacheTTL = time.Second

// keyCache remembers valid keys by hash for KeyCacheTTL. Unknown keys are never
// remembered, so guessing cannot fill it.
type keyCache struct {
	mu sync.Mutex
	m  map[string]cachedKey
	// lookups are the database reads under way, by hash.
	lookups map[string]*keyLookup
}

// keyLookup is one read of a key that requests for the same key wait for.
type keyLookup struct {
	done  chan struct{}
	actor ledger.Actor
	err   error
}

// lookup runs load for the hash, unless a load for it is under way: then it waits for
// that one. Every request of a rush carries the same key, so when its cache entry expires
// they would otherwise all read it from the database at once. A waiter whose load failed
// (perhaps only for the first caller's cancelled context) loads again itself.
func (c *keyCache) lookup(ctx context.Context, hash string, load func(context.Context) (ledger.Actor, error)) (ledger.Actor, error) {
	c.mu.Lock()
	if l, ok := c.lookups[hash]; ok {
		c.mu.Unlock()
		select {
		case <-l.done:
			if l.err == nil {
				return l.actor, nil
			}
			return load(ctx)
		case <-ctx.Done():
			return ledger.Actor{}, ledger.Errorf(ledger.EINTERNAL, "checking the key: %v", ctx.Err())
		}
	}
	// Until load returns, the outcome is a failure: waiters then load themselves.
	l := &keyLookup{done: make(chan struct{}), err: errors.New("the key's lookup did not finish")}
	if c.lookups == nil {
		c.lookups = map[string]*keyLookup{}
	}
	c.lookups[hash] = l
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.lookups, hash)
		c.mu.Unlock()
		close(l.done)
	}()
	actor, err := load(ctx)
	l.actor, l.err = actor, err
	return actor, err
}

type cachedKey struct {
	actor ledger.Actor
	until time.Time
}

// maxCachedKeys bounds the cache; past it, it starts afresh.
const maxCachedKeys = 10000

func (c *keyCache) get(hash string) (ledger.Actor, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.m[hash]
	if !ok || time.Now().After(k.until) {
		return ledger.Actor{}, false
	}
	return k.actor, true
}

func (c *keyCache) put(hash string, a ledger.Actor) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedKeys {
		c.m = map[string]cachedKey{}
	}
	c.m[hash] = cachedKey{actor: a, until: time.Now().Add(KeyCacheTTL)}
}

// forget empties the cache, after a revocation.
func (c *keyCache) forget() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// List lists the API keys (never the keys themselves).
func (s *Keys) List(ctx context.Context) ([]Key, error) {
	rows, err := s.reader(ctx).rows(`SELECT id, name, role, revoked FROM api_keys ORDER BY id`)
	if err != nil {
		return nil, s.internal("listing keys", err)
	}
	defer rows.Close()
	var out []Key
	for rows.Next() {
		var k Key
		var role string
		var revoked int
		if err := rows.Scan(&k.ID, &k.Name, &role, &revoked); err != nil {
			return nil, s.internal("listing keys", err)
		}
		k.Role, k.Revoked = ledger.Role(role), revoked != 0
		out = append(out, k)
	}
	return out, rows.Err()
}

// RevokeKey revokes the key with the id: ENOTFOUND when there is none.
func (s *Keys) RevokeKey(ctx context.Context, id int64) error {
	err := s.update(ctx, "revoking the key", ledger.Actor{Admin: true}, "", lockNone, func(w *wtx) error {
		res, err := w.exec(`UPDATE api_keys SET revoked = 1 WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ledger.Errorf(ledger.ENOTFOUND, "No API key with id %d", id)
		}
		return nil
	})
	s.cache.forget()
	s.grants.forget()
	return err
}
