package store

import (
	"strings"

	parley "github.com/parley-dev/parley"
)

func (t *tx) JoinedChannelsCounts(serviceSID string, identities []string) (map[string]int64, error) {
	counts := make(map[string]int64, len(identities))
	if len(identities) == 0 {
		return counts, nil
	}
	var q query
	q.add("service_sid = ?", serviceSID)
	q.addIn("identity", identities)
	rows, err := t.query(`SELECT identity, COUNT(*) FROM participants WHERE `+strings.Join(q.where, " AND ")+` GROUP BY identity`, q.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var identity string
		var n int64
		if err := rows.Scan(&identity, &n); err != nil {
			return nil, err
		}
		counts[identity] = n
	}
	return counts, rows.Err()
}

func (t *tx) CountOpenMemberships(serviceSID, identity, except string) (int64, error) {
	var n int64
	err := t.queryRow(`SELECT COUNT(*) FROM participants p JOIN conversations c ON c.sid = p.conversation_sid
		WHERE p.service_sid = $1 AND p.identity = $2 AND p.conversation_sid <> $3 AND c.state <> $4`,
		serviceSID, identity, except, parley.StateClosed).Scan(&n)
	return n, err
}

func (t *tx) ListUserInvites(serviceSID, identity string, p parley.PageRequest) (parley.Page[*parley.Invite], error) {
	var q query
	q.add("service_sid = ?", serviceSID)
	q.add("identity = ?", identity)
	return t.pageInvites(q, p)
}
