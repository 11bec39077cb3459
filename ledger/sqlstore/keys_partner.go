package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/ticketbooth-go/ticketbooth/ledger"
)

var _ ledger.PartnerKeys = (*Keys)(nil)

// CreatePartnerKey makes a key of the partner role with its grant on the command API
// (products, DSNs, limits). The key is shown this once: only its hash is kept.
func (s *Keys) CreatePartnerKey(ctx context.Context, name string, g ledger.PartnerGrant) (string, Key, error) {
	if err := ledger.CheckPartnerGrant(g); err != nil {
		return "", Key{}, err
	}
	return s.create(ctx, ledger.RolePartner, name, func(w *wtx, id int64) error {
		_, err := w.exec(`INSERT INTO partner_grants (key_id, product, dsns, per_minute, per_day) VALUES (?, ?, ?, ?, ?)`,
			id, g.Product, strings.Join(g.DSNs, ","), g.PerMinute, g.PerDay)
		return err
	})
}

// Partner returns the partner holding key and its grant: EUNAUTHORIZED for an unknown or
// revoked key, or a key of another role. The key is trusted for KeyCacheTTL, as
// Authenticate trusts it, and its grant for GrantCacheTTL.
func (s *Keys) Partner(ctx context.Context, key string) (ledger.Actor, ledger.PartnerGrant, error) {
	a, err := s.Authenticate(ctx, key)
	if err != nil {
		return ledger.Actor{}, ledger.PartnerGrant{}, err
	}
	if a.Role != ledger.RolePartner {
		return ledger.Actor{}, ledger.PartnerGrant{}, ledger.Errorf(ledger.EUNAUTHORIZED,
			"This is a %s key: the command API needs a partner key (ticketbooth keys create --role partner)", a.Role)
	}
	if g, ok := s.grants.get(a.KeyID); ok {
		return a, g, nil
	}
	g, err := s.grant(ctx, a.KeyID)
	if err != nil {
		return ledger.Actor{}, ledger.PartnerGrant{}, err
	}
	s.grants.put(a.KeyID, g)
	return a, g, nil
}

// grant reads a partner key's grant.
func (s *Keys) grant(ctx context.Context, id int64) (ledger.PartnerGrant, error) {
	var g ledger.PartnerGrant
	var dsns string
	err := s.reader(ctx).row(`SELECT product, dsns, per_minute, per_day FROM partner_grants WHERE key_id = ?`, id).
		Scan(&g.Product, &dsns, &g.PerMinute, &g.PerDay)
	if errors.Is(err, sql.ErrNoRows) {
		return g, ledger.Errorf(ledger.EUNAUTHORIZED, "This partner key has no grant: make it again with ticketbooth keys create --role partner")
	}
	if err != nil {
		return g, s.internal("reading the key's grant", err)
	}
	g.DSNs = strings.Split(dsns, ",")
	return g, nil
}

// GrantCacheTTL is how long Partner trusts a key's grant it has read. A grant does not
// change once its key is made, and whether the key still holds is Authenticate's check
// at every call, so the grant is kept far longer than the key: a partner calling with
// many keys then costs one read of a key a second, not two.
const GrantCacheTTL = 10 * time.Minute

// grantCache remembers partner keys' grants by key id for GrantCacheTTL.
type grantCache struct {
	mu sync.Mutex
	m  map[int64]cachedGrant
}

type cachedGrant struct {
	grant ledger.PartnerGrant
	until time.Time
}

func (c *grantCache) get(id int64) (ledger.PartnerGrant, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.m[id]
	if !ok || time.Now().After(g.until) {
		return ledger.PartnerGrant{}, false
	}
	return g.grant, true
}

func (c *grantCache) put(id int64, g ledger.PartnerGrant) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedKeys {
		c.m = map[int64]cachedGrant{}
	}
	c.m[id] = cachedGrant{grant: g, until: time.Now().Add(GrantCacheTTL)}
}

// forget empties the cache, after a revocation.
func (c *grantCache) forget() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// Grants returns the grants of the partner keys, revoked ones too, by key id.
func (s *Keys) Grants(ctx context.Context) (map[int64]ledger.PartnerGrant, error) {
	rows, err := s.reader(ctx).rows(`SELECT key_id, product, dsns, per_minute, per_day FROM partner_grants`)
	if err != nil {
		return nil, s.internal("listing the partner keys' grants", err)
	}
	defer rows.Close()
	out := map[int64]ledger.PartnerGrant{}
	for rows.Next() {
		var id int64
		var g ledger.PartnerGrant
		var dsns string
		if err := rows.Scan(&id, &g.Product, &dsns, &g.PerMinute, &g.PerDay); err != nil {
			return nil, s.internal("listing the partner keys' grants", err)
		}
		g.DSNs = strings.Split(dsns, ",")
		out[id] = g
	}
	return out, rows.Err()
}
