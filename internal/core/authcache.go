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
	accounts map[string]cachedAccount
	keys     map[string]cachedKey
}

type cachedAccount struct {
	acct    *parley.Account
	expires time.Time
}

type cachedKey struct {
	key     *parley.APIKey
	expires time.Time
}

// maxCached bounds each map; a full map is simply dropped.
const maxCached = 10000

func (c *credentialCache) account(sid string, now time.Time) *parley.Account {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.accounts[sid]
	if !ok || now.After(e.expires) {
		return nil
	}
	return e.acct
}

func (c *credentialCache) putAccount(acct *parley.Account, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.accounts == nil || len(c.accounts) > maxCached {
		c.accounts = map[string]cachedAccount{}
	}
	c.accounts[acct.SID] = cachedAccount{acct: acct, expires: now.Add(CredentialFreshness)}
}

func (c *credentialCache) key(sid string, now time.Time) *parley.APIKey {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.keys[sid]
	if !ok || now.After(e.expires) {
		return nil
	}
	return e.key
}

func (c *credentialCache) putKey(k *parley.APIKey, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil || len(c.keys) > maxCached {
		c.keys = map[string]cachedKey{}
	}
	c.keys[k.SID] = cachedKey{key: k, expires: now.Add(CredentialFreshness)}
}

// forget drops an account or key (by SID) from the cache.
func (c *credentialCache) forget(sid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.accounts, sid)
	delete(c.keys, sid)
}
