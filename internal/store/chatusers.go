package store

import "strings"

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
