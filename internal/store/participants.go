package store

import (
	"database/sql"

	parley "github.com/parley-dev/parley"
)

const participantColumns = `seq, sid, account_sid, service_sid, conversation_sid, identity, attributes, role_sid,
	binding_type, binding_address, binding_proxy_address, binding_projected, last_read_message_index,
	last_read_timestamp, date_created, date_updated`

func scanParticipant(s scanner) (*parley.Participant, error) {
	var p parley.Participant
	var identity, role, bType, bAddress, bProxy, bProjected sql.NullString
	var lastRead, lastReadAt sql.NullInt64
	var created, updated int64
	err := s.Scan(&p.Seq, &p.SID, &p.AccountSID, &p.ServiceSID, &p.ConversationSID, &identity, &p.Attributes, &role,
		&bType, &bAddress, &bProxy, &bProjected, &lastRead, &lastReadAt, &created, &updated)
	p.Identity, p.RoleSID = strPtr(identity), strPtr(role)
	if bType.Valid {
		p.MessagingBinding = &parley.MessagingBinding{Type: bType.String, Address: strPtr(bAddress),
			ProxyAddress: strPtr(bProxy), ProjectedAddress: strPtr(bProjected)}
	}
	p.LastReadMessageIndex, p.LastReadTimestamp = intPtr(lastRead), timePtr(lastReadAt)
	p.DateCreated, p.DateUpdated = fromMillis(created), fromMillis(updated)
	return &p, err
}

// bindingColumns spreads an optional binding over its four nullable columns.
func bindingColumns(b *parley.MessagingBinding) (typ, address, proxy, projected *string) {
	if b == nil {
		return nil, nil, nil, nil
	}
	return &b.Type, b.Address, b.ProxyAddress, b.ProjectedAddress
}

func (t *tx) CreateParticipant(p *parley.Participant) error {
	bType, bAddress, bProxy, bProjected := bindingColumns(p.MessagingBinding)
	// A participant is only added to a conversation that is not closed, so
	// its pair is held from the start.
	var open *int
	if bAddress != nil && bProxy != nil {
		open = new(int)
		*open = 1
	}
	err := t.queryRow(`INSERT INTO participants (sid, account_sid, service_sid, conversation_sid, identity, attributes,
		role_sid, binding_type, binding_address, binding_proxy_address, binding_projected, last_read_message_index,
		last_read_timestamp, date_created, date_updated, binding_open)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING seq`,
		p.SID, p.AccountSID, p.ServiceSID, p.ConversationSID, p.Identity, p.Attributes, p.RoleSID,
		bType, bAddress, bProxy, bProjected, p.LastReadMessageIndex, nullMillis(p.LastReadTimestamp),
		millis(p.DateCreated), millis(p.DateUpdated), open).Scan(&p.Seq)
	switch {
	case err != nil && isUniqueViolation(err) && p.Identity != nil:
		return parley.Errorf(parley.CodeParticipantExists, "Participant already exists")
	case err != nil && isUniqueViolation(err) && open != nil:
		return parley.Errorf(parley.CodeBindingPairInUse,
			"A participant with address %s and proxy address %s already exists in another open conversation", *bAddress, *bProxy)
	case err != nil:
		return parentGone(err, "Conversation", p.ConversationSID)
	}
	return t.countConversation(p.ConversationSID, "members_count", 1)
}

func (t *tx) Participant(conversationSID, id string) (*parley.Participant, error) {
	col := "identity"
	if parley.IsSID(id, parley.PrefixParticipant) {
		col = "sid"
	}
	p, err := scanParticipant(t.queryRow(`SELECT `+participantColumns+` FROM participants
		WHERE conversation_sid = $1 AND `+col+` = $2`, conversationSID, id))
	if err != nil {
		return nil, notFound(err, "Participant", id)
	}
	return p, nil
}

func (t *tx) ListParticipants(conversationSID string, p parley.PageRequest) (parley.Page[*parley.Participant], error) {
	var q query
	q.add("conversation_sid = ?", conversationSID)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+participantColumns+` FROM participants`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanParticipant)
}

func (t *tx) UpdateParticipant(p *parley.Participant) error {
	bType, bAddress, bProxy, bProjected := bindingColumns(p.MessagingBinding)
	err := t.execOne("Participant", p.SID, `UPDATE participants SET identity = $2, attributes = $3, role_sid = $4,
		binding_type = $5, binding_address = $6, binding_proxy_address = $7, binding_projected = $8,
		last_read_message_index = $9, last_read_timestamp = $10, date_created = $11, date_updated = $12 WHERE sid = $1`,
		p.SID, p.Identity, p.Attributes, p.RoleSID, bType, bAddress, bProxy, bProjected, p.LastReadMessageIndex,
		nullMillis(p.LastReadTimestamp), millis(p.DateCreated), millis(p.DateUpdated))
	if err != nil && isUniqueViolation(err) {
		return parley.Errorf(parley.CodeParticipantExists, "Participant already exists")
	}
	return err
}

func (t *tx) DeleteParticipant(conversationSID, sid string) error {
	if err := t.execOne("Participant", sid, `DELETE FROM participants WHERE conversation_sid = $1 AND sid = $2`, conversationSID, sid); err != nil {
		return err
	}
	return t.countConversation(conversationSID, "members_count", -1)
}

func (t *tx) CountChannelParticipants(conversationSID string) (int64, error) {
	var n int64
	err := t.queryRow(`SELECT COUNT(*) FROM participants WHERE conversation_sid = $1 AND binding_address IS NOT NULL`,
		conversationSID).Scan(&n)
	return n, err
}

func (t *tx) ListMembers(conversationSID string, identities []string, p parley.PageRequest) (parley.Page[*parley.Participant], error) {
	var q query
	q.add("conversation_sid = ?", conversationSID)
	q.addIn("identity", identities)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+participantColumns+` FROM participants`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanParticipant)
}
