package store

import (
	"encoding/json"

	parley "github.com/parley-dev/parley"
)

const roleColumns = `seq, sid, account_sid, service_sid, friendly_name, type, permissions, date_created, date_updated`

// Permissions are stored as a JSON array of strings.
func scanRole(s scanner) (*parley.Role, error) {
	var r parley.Role
	var perms string
	if err := s.Scan(&r.Seq, &r.SID, &r.AccountSID, &r.ServiceSID, &r.FriendlyName, &r.Type, &perms,
		inMillis(&r.DateCreated), inMillis(&r.DateUpdated)); err != nil {
		return nil, err
	}
	return &r, json.Unmarshal([]byte(perms), &r.Permissions)
}

func permissionsJSON(perms []string) (string, error) {
	if perms == nil {
		perms = []string{}
	}
	b, err := json.Marshal(perms)
	return string(b), err
}

func (t *tx) CreateRole(r *parley.Role) error {
	perms, err := permissionsJSON(r.Permissions)
	if err != nil {
		return err
	}
	err = t.queryRow(`INSERT INTO roles (sid, account_sid, service_sid, friendly_name, type, permissions, date_created, date_updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq`,
		r.SID, r.AccountSID, r.ServiceSID, r.FriendlyName, r.Type, perms, millis(r.DateCreated), millis(r.DateUpdated)).Scan(&r.Seq)
	return parentGone(err, "Service", r.ServiceSID)
}

func (t *tx) Role(serviceSID, sid string) (*parley.Role, error) {
	r, err := scanRole(t.queryRow(`SELECT `+roleColumns+` FROM roles WHERE service_sid = $1 AND sid = $2`, serviceSID, sid))
	if err != nil {
		return nil, notFound(err, "Role", sid)
	}
	return r, nil
}

func (t *tx) ListRoles(serviceSID string, p parley.PageRequest) (parley.Page[*parley.Role], error) {
	var q query
	q.add("service_sid = ?", serviceSID)
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+roleColumns+` FROM roles`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanRole)
}

func (t *tx) UpdateRole(r *parley.Role) error {
	perms, err := permissionsJSON(r.Permissions)
	if err != nil {
		return err
	}
	return t.execOne("Role", r.SID, `UPDATE roles SET permissions = $2, date_updated = $3 WHERE sid = $1`,
		r.SID, perms, millis(r.DateUpdated))
}

func (t *tx) DeleteRole(serviceSID, sid string) error {
	return t.execOne("Role", sid, `DELETE FROM roles WHERE service_sid = $1 AND sid = $2`, serviceSID, sid)
}

func (t *tx) RoleInUse(serviceSID, sid string) (bool, error) {
	// Each EXISTS probes one index (users_role, participants_role, the
	// service's primary key) and stops at the first hit.
	var inUse bool
	err := t.queryRow(`SELECT
		EXISTS (SELECT 1 FROM users WHERE role_sid = $2 AND service_sid = $1)
		OR EXISTS (SELECT 1 FROM participants WHERE role_sid = $2 AND service_sid = $1)
		OR EXISTS (SELECT 1 FROM services WHERE sid = $1 AND $2 IN (default_conversation_creator_role_sid,
			default_conversation_role_sid, default_chat_service_role_sid))`, serviceSID, sid).Scan(&inUse)
	return inUse, err
}

func (t *tx) UpdateServiceConfiguration(s *parley.Service) error {
	return t.execOne("Service", s.SID, `UPDATE services SET default_conversation_creator_role_sid = $2,
		default_conversation_role_sid = $3, default_chat_service_role_sid = $4, reachability_enabled = $5,
		date_updated = $6 WHERE sid = $1`,
		s.SID, s.DefaultConversationCreatorRoleSID, s.DefaultConversationRoleSID, s.DefaultChatServiceRoleSID,
		boolInt(s.ReachabilityEnabled), millis(s.DateUpdated))
}
