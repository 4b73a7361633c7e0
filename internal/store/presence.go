package store

import (
	"database/sql"
	"errors"
	"time"

	parley "github.com/parley-dev/parley"
)

// Reachability (parley.PresenceTx). Every method that may change a user's
// state first locks the user's user_reachability row (an upsert, or an
// UPDATE that changes nothing), so on PostgreSQL two processes changing
// one user's leases take turns and exactly one of them sees the change.

// lockReachability locks the user's state row and returns whether the
// user is online; create makes the row (offline) when missing, otherwise a
// missing row reports found false.
func (t *tx) lockReachability(userSID string, create bool) (online, found bool, err error) {
	var on int
	if create {
		err = t.queryRow(`INSERT INTO user_reachability (user_sid, online, date_updated) VALUES ($1, 0, $2)
			ON CONFLICT (user_sid) DO UPDATE SET online = user_reachability.online RETURNING online`,
			userSID, millis(t.now)).Scan(&on)
	} else {
		err = t.queryRow(`UPDATE user_reachability SET online = online WHERE user_sid = $1 RETURNING online`, userSID).Scan(&on)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	return on != 0, err == nil, err
}

func (t *tx) setOnline(userSID string, online bool) error {
	_, err := t.exec(`UPDATE user_reachability SET online = $2, date_updated = $3 WHERE user_sid = $1`,
		userSID, boolInt(online), millis(t.now))
	return err
}

// liveLeases counts the user's leases that have not expired.
func (t *tx) liveLeases(userSID string) (int, error) {
	var n int
	err := t.queryRow(`SELECT COUNT(*) FROM presence_leases WHERE user_sid = $1 AND expires_at > $2`,
		userSID, millis(t.now)).Scan(&n)
	return n, err
}

func (t *tx) EnterPresence(userSID, holder string, expires time.Time) (bool, error) {
	online, _, err := t.lockReachability(userSID, true)
	if err != nil {
		return false, err
	}
	if _, err := t.exec(`INSERT INTO presence_leases (user_sid, holder, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_sid, holder) DO UPDATE SET expires_at = excluded.expires_at`,
		userSID, holder, millis(expires)); err != nil {
		return false, err
	}
	if online {
		return false, nil
	}
	return true, t.setOnline(userSID, true)
}

func (t *tx) LeavePresence(userSID, holder string) (bool, error) {
	online, found, err := t.lockReachability(userSID, false)
	if err != nil || !found {
		return false, err
	}
	if _, err := t.exec(`DELETE FROM presence_leases WHERE user_sid = $1 AND holder = $2`, userSID, holder); err != nil {
		return false, err
	}
	return t.offlineIfUnleased(userSID, online)
}

// offlineIfUnleased turns the user offline when it is online and no live
// lease is left, reporting whether it did.
func (t *tx) offlineIfUnleased(userSID string, online bool) (bool, error) {
	if !online {
		return false, nil
	}
	n, err := t.liveLeases(userSID)
	if err != nil || n > 0 {
		return false, err
	}
	return true, t.setOnline(userSID, false)
}

func (t *tx) RenewPresence(holder string, expires time.Time) error {
	_, err := t.exec(`UPDATE presence_leases SET expires_at = $2 WHERE holder = $1`, holder, millis(expires))
	return err
}

func (t *tx) SweepPresence(limit int) ([]parley.PresenceChange, error) {
	rows, err := t.query(`SELECT DISTINCT l.user_sid, u.service_sid, u.account_sid FROM presence_leases l
		JOIN users u ON u.sid = l.user_sid WHERE l.expires_at <= $1 ORDER BY l.user_sid LIMIT $2`, millis(t.now), limit)
	if err != nil {
		return nil, err
	}
	var expired []parley.PresenceChange
	for rows.Next() {
		var c parley.PresenceChange
		if err := rows.Scan(&c.UserSID, &c.ServiceSID, &c.AccountSID); err != nil {
			rows.Close()
			return nil, err
		}
		expired = append(expired, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var changed []parley.PresenceChange
	for _, c := range expired {
		online, _, err := t.lockReachability(c.UserSID, true)
		if err != nil {
			return nil, err
		}
		if _, err := t.exec(`DELETE FROM presence_leases WHERE user_sid = $1 AND expires_at <= $2`, c.UserSID, millis(t.now)); err != nil {
			return nil, err
		}
		went, err := t.offlineIfUnleased(c.UserSID, online)
		if err != nil {
			return nil, err
		}
		if went {
			changed = append(changed, c)
		}
	}
	return changed, nil
}

func (t *tx) Reachability(userSID string) (parley.Reachability, error) {
	var on int
	err := t.queryRow(`SELECT online FROM user_reachability WHERE user_sid = $1`, userSID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return parley.Reachability{}, nil
	}
	return parley.Reachability{Known: err == nil, Online: on != 0}, err
}
