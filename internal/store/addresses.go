package store

import (
	"database/sql"

	parley "github.com/parley-dev/parley"
)

const addressColumns = `seq, sid, account_sid, type, address, friendly_name, address_country, auto_enabled, auto_type,
	auto_service_sid, auto_webhook_url, auto_webhook_method, auto_webhook_filters, auto_studio_flow_sid,
	auto_studio_retry_count, date_created, date_updated`

func scanAddressConfig(s scanner) (*parley.AddressConfig, error) {
	var c parley.AddressConfig
	var name, country, typ, service, url, method, flow sql.NullString
	var retry sql.NullInt64
	var enabled int
	var filters string
	var created, updated int64
	err := s.Scan(&c.Seq, &c.SID, &c.AccountSID, &c.Type, &c.Address, &name, &country, &enabled, &typ, &service,
		&url, &method, &filters, &flow, &retry, &created, &updated)
	if err != nil {
		return nil, err
	}
	c.FriendlyName, c.AddressCountry = strPtr(name), strPtr(country)
	c.AutoCreation = parley.AutoCreation{Enabled: enabled != 0, Type: strPtr(typ), ConversationServiceSID: strPtr(service),
		WebhookURL: strPtr(url), WebhookMethod: strPtr(method), StudioFlowSID: strPtr(flow), StudioRetryCount: intPtr(retry)}
	c.DateCreated, c.DateUpdated = fromMillis(created), fromMillis(updated)
	c.AutoCreation.WebhookFilters, err = decodeStrings(filters)
	return &c, err
}

func (t *tx) CreateAddressConfig(c *parley.AddressConfig) error {
	a := c.AutoCreation
	err := t.queryRow(`INSERT INTO address_configs (sid, account_sid, type, address, friendly_name, address_country,
		auto_enabled, auto_type, auto_service_sid, auto_webhook_url, auto_webhook_method, auto_webhook_filters,
		auto_studio_flow_sid, auto_studio_retry_count, date_created, date_updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING seq`,
		c.SID, c.AccountSID, c.Type, c.Address, c.FriendlyName, c.AddressCountry, boolInt(a.Enabled), a.Type,
		a.ConversationServiceSID, a.WebhookURL, a.WebhookMethod, encodeStrings(a.WebhookFilters), a.StudioFlowSID,
		a.StudioRetryCount, millis(c.DateCreated), millis(c.DateUpdated)).Scan(&c.Seq)
	if err != nil && isUniqueViolation(err) {
		return parley.Errorf(parley.CodeAddressExists, "An Address Configuration for %s already exists", c.Address)
	}
	return err
}

func (t *tx) AddressConfig(accountSID, id string) (*parley.AddressConfig, error) {
	col := "address"
	if parley.IsSID(id, parley.PrefixAddressConfig) {
		col = "sid"
	}
	c, err := scanAddressConfig(t.queryRow(`SELECT `+addressColumns+` FROM address_configs
		WHERE account_sid = $1 AND `+col+` = $2`, accountSID, id))
	if err != nil {
		return nil, notFound(err, "Address Configuration", id)
	}
	return c, nil
}

func (t *tx) ListAddressConfigs(accountSID, typ string, p parley.PageRequest) (parley.Page[*parley.AddressConfig], error) {
	var q query
	q.add("account_sid = ?", accountSID)
	if typ != "" {
		q.add("type = ?", typ)
	}
	tail, reversed := q.page("seq", p)
	rows, err := t.query(`SELECT `+addressColumns+` FROM address_configs`+tail, q.args...)
	return collect(rows, err, p.Size, reversed, scanAddressConfig)
}

func (t *tx) UpdateAddressConfig(c *parley.AddressConfig) error {
	a := c.AutoCreation
	return t.execOne("Address Configuration", c.SID, `UPDATE address_configs SET friendly_name = $2, auto_enabled = $3,
		auto_type = $4, auto_service_sid = $5, auto_webhook_url = $6, auto_webhook_method = $7, auto_webhook_filters = $8,
		auto_studio_flow_sid = $9, auto_studio_retry_count = $10, date_updated = $11 WHERE sid = $1`,
		c.SID, c.FriendlyName, boolInt(a.Enabled), a.Type, a.ConversationServiceSID, a.WebhookURL, a.WebhookMethod,
		encodeStrings(a.WebhookFilters), a.StudioFlowSID, a.StudioRetryCount, millis(c.DateUpdated))
}

func (t *tx) DeleteAddressConfig(accountSID, sid string) error {
	return t.execOne("Address Configuration", sid, `DELETE FROM address_configs WHERE account_sid = $1 AND sid = $2`,
		accountSID, sid)
}
