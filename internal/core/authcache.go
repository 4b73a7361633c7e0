package core

import (
	"sync"
	"time"

	parley "github.com/parley-dev/parley"
)

// accountTTL bounds how long an authenticated account is served from memory.
// Changes made through this process invalidate at once; on a multi-node
// PostgreSQL deployment another node's change (a rotated token, a new default
// service) is seen within this time.
const accountTTL = 2 * time.Second

// accountCache keeps recently authenticated accounts, so a request does not
// pay a database round trip just to check its credentials.
type accountCache struct {
	mu      sync.Mutex
	entries map[string]cachedAccount
}

type cachedAccount struct {
	acct    *parley.Account
	expires time.Time
}

func (c *accountCache) get(sid string, now time.Time) *parley.Account {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[sid]
	if !ok || now.After(e.expires) {
		return nil
	}
	return e.acct
}

func (c *accountCache) put(acct *parley.Account, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) > 10000 {
		c.entries = map[string]cachedAccount{}
	}
	c.entries[acct.SID] = cachedAccount{acct: acct, expires: now.Add(accountTTL)}
}

func (c *accountCache) forget(sid string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, sid)
}
