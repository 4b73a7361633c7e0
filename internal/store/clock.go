package store

import (
	"database/sql"
	"errors"
	"time"
)

func (t *tx) VirtualClock() (time.Time, bool, error) {
	var ms int64
	err := t.queryRow(`SELECT instant FROM virtual_clock WHERE name = 'default'`).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	return fromMillis(ms), err == nil, err
}

func (t *tx) SaveVirtualClock(at time.Time) error {
	_, err := t.exec(`INSERT INTO virtual_clock (name, instant) VALUES ('default', $1)
		ON CONFLICT (name) DO UPDATE SET instant = excluded.instant`, millis(at))
	return err
}
