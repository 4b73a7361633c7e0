package core

import (
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
)

// CredentialFreshness bounds how long an account or API key is served from
// memory. Changes made through this process (a suspension, a deleted key,
// a rotated token) invalidate its entries at once; on a multi-node
// PostgreSQL deployment another node's change is seen within this time.
const CredentialFreshness = 2 * time.Second

// credentialCache keeps recently used accounts and API keys (with their
// opened secrets), so a request does not pay a database round trip and an
// unsealing just to check its credentials. Keys and accounts are separate
// entries: a key entry names its account, which is looked up on its own,
// so forgetting an account (suspension) covers its keys too.
type credentialCache struct {
	mu       sync.Mutex
	accounts expiring[*parley.Account]
	keys     expiring[*parley.APIKey]
}

// expiring is a map of entries that lapse after CredentialFreshness.
type expiring[T any] map[string]struct {
	value   T
	expires time.Time
}

// maxCached bounds each map; a full map is simply dropped.
const maxCached = 10000

func (m expiring[T]) get(sid string, now time.Time) (T, bool) {
	e, ok := m[sid]
	if !ok || now.After(e.expires) {
		var zero T
		return zero, false
	}
	return e.value, true
}

func (m *expiring[T]) put(sid string, v T, now time.Time) {
	if *m == nil || len(*m) > maxCached {
		*m = expiring[T]{}
	}
	(*m)[sid] = struct {
		value   T
		expires time.Time
	}{v, now.Add(CredentialFreshness)}
}

func (c *credentialCache) account(sid string, now time.Time) *parley.Account {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, _ := c.accounts.get(sid, now)
	return a
}

func (c *credentialCache) putAccount(a *parley.Account, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.accounts.put(a.SID, a, now)
}

func (c *credentialCache) key(sid string, now time.Time) *parley.APIKey {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, _ := c.keys.get(sid, now)
	return k
}

func (c *credentialCache) putKey(k *parley.APIKey, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.keys.put(k.SID, k, now)
}

// forget drops an account or key (by SID) from the cache.
func (c *credentialCache) forget(sid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.accounts, sid)
	delete(c.keys, sid)
}
