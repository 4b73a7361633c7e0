package store

import (
	parley "github.com/parley-dev/parley"
)

const inviteColumns = `seq, sid, account_sid, service_sid, channel_sid, identity, role_sid, created_by, date_created, date_updated`

func scanInvite(s scanner) (*parley.Invite, error) {
	var i parley.Invite
	err := s.Scan(&i.Seq, &i.SID, &i.AccountSID, &i.ServiceSID, &i.ChannelSID, &i.Identity, optional(&i.RoleSID),
		optional(&i.CreatedBy), inMillis(&i.DateCreated), inMillis(&i.DateUpdated))
	return &i, err
}

func (t *tx) CreateInvite(i *parley.Invite) error {
	err := t.queryRow(`INSERT INTO invites (sid, account_sid, service_sid, channel_sid, identity, role_sid, created_by,
		date_created, date_updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq`,
		i.SID, i.AccountSID, i.ServiceSID, i.ChannelSID, i.Identity, i.RoleSID, i.CreatedBy,
		millis(i.DateCreated), millis(i.DateUpdated)).Scan(&i.Seq)
	if err != nil && isUniqueViolation(err) {
		return parley.Errorf(parley.CodeInviteExists, "User with specified Identity already invited to this Channel")
	}
	return parentGone(err, "Channel", i.ChannelSID)
}

func (t *tx) Invite(channelSID, sid string) (*parley.Invite, error) {
	i, err := scanInvite(t.queryRow(`SELECT `+inviteColumns+` FROM invites WHERE channel_sid = $1 AND sid = $2`,
		channelSID, sid))
	if err != nil {
		return nil, notFound(err, "Invite", sid)
	}
	return i, nil
}

func (t *tx) ListInvites(channelSID string, identities []string, p parley.PageRequest) (parley.Page[*parley.Invite], error) {
	var q query
	q.add("channel_sid = ?", channelSID)
	q.addIn("identity", identities)
	return t.pageInvites(q, p)
}

// pageInvites reads one page of the invites q selects, in creation order.
func (t *tx) pageInvites(q query, p parley.PageRequest) (parley.Page[*parley.Invite], error) {
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+inviteColumns+` FROM invites`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanInvite)
}

func (t *tx) DeleteInvite(channelSID, sid string) error {
	return t.execOne("Invite", sid, `DELETE FROM invites WHERE channel_sid = $1 AND sid = $2`, channelSID, sid)
}

func (t *tx) DeleteInvitesOf(channelSID, identity string) error {
	_, err := t.exec(`DELETE FROM invites WHERE channel_sid = $1 AND identity = $2`, channelSID, identity)
	return err
}
