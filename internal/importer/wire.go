package importer

import (
	"encoding/json"
	"time"

	parley "github.com/parley-dev/parley"
)

// The source's records as Conversations v1 renders them
// (https://www.twilio.com/docs/conversations/api). Only the fields Parley
// stores are read.

type wireConfig struct {
	DefaultChatServiceSID      string  `json:"default_chat_service_sid"`
	DefaultMessagingServiceSID *string `json:"default_messaging_service_sid"`
	DefaultInactiveTimer       *string `json:"default_inactive_timer"`
	DefaultClosedTimer         *string `json:"default_closed_timer"`
}

type wireService struct {
	SID          string    `json:"sid"`
	FriendlyName string    `json:"friendly_name"`
	DateCreated  time.Time `json:"date_created"`
	DateUpdated  time.Time `json:"date_updated"`
}

type wireServiceConfig struct {
	DefaultConversationCreatorRoleSID string `json:"default_conversation_creator_role_sid"`
	DefaultConversationRoleSID        string `json:"default_conversation_role_sid"`
	DefaultChatServiceRoleSID         string `json:"default_chat_service_role_sid"`
	ReachabilityEnabled               bool   `json:"reachability_enabled"`
}

type wireRole struct {
	SID          string    `json:"sid"`
	FriendlyName string    `json:"friendly_name"`
	Type         string    `json:"type"`
	Permissions  []string  `json:"permissions"`
	DateCreated  time.Time `json:"date_created"`
	DateUpdated  time.Time `json:"date_updated"`
}

type wireUser struct {
	SID          string    `json:"sid"`
	Identity     string    `json:"identity"`
	FriendlyName *string   `json:"friendly_name"`
	Attributes   string    `json:"attributes"`
	RoleSID      *string   `json:"role_sid"`
	DateCreated  time.Time `json:"date_created"`
	DateUpdated  time.Time `json:"date_updated"`
}

type wireConversation struct {
	SID                 string  `json:"sid"`
	FriendlyName        *string `json:"friendly_name"`
	UniqueName          *string `json:"unique_name"`
	Attributes          string  `json:"attributes"`
	State               string  `json:"state"`
	MessagingServiceSID *string `json:"messaging_service_sid"`
	Timers              struct {
		DateInactive *time.Time `json:"date_inactive"`
		DateClosed   *time.Time `json:"date_closed"`
	} `json:"timers"`
	DateCreated time.Time `json:"date_created"`
	DateUpdated time.Time `json:"date_updated"`
}

type wireParticipant struct {
	SID                  string          `json:"sid"`
	Identity             *string         `json:"identity"`
	Attributes           string          `json:"attributes"`
	RoleSID              *string         `json:"role_sid"`
	MessagingBinding     json.RawMessage `json:"messaging_binding"`
	LastReadMessageIndex *int64          `json:"last_read_message_index"`
	LastReadTimestamp    *string         `json:"last_read_timestamp"`
	DateCreated          time.Time       `json:"date_created"`
	DateUpdated          time.Time       `json:"date_updated"`
}

type wireMessage struct {
	SID            string          `json:"sid"`
	Index          int64           `json:"index"`
	Author         string          `json:"author"`
	From           string          `json:"from"` // Chat's name of the author
	Body           *string         `json:"body"`
	Attributes     string          `json:"attributes"`
	ParticipantSID *string         `json:"participant_sid"`
	ContentSID     *string         `json:"content_sid"`
	Media          json.RawMessage `json:"media"`
	DateCreated    time.Time       `json:"date_created"`
	DateUpdated    time.Time       `json:"date_updated"`
}

type wireUserConversation struct {
	ConversationSID   string `json:"conversation_sid"`
	NotificationLevel string `json:"notification_level"`
}

type wireBinding struct {
	Type             string  `json:"type"`
	Address          *string `json:"address"`
	ProxyAddress     *string `json:"proxy_address"`
	ProjectedAddress *string `json:"projected_address"`
}

func (w wireService) record(acct string, cfg wireServiceConfig) *parley.Service {
	return &parley.Service{SID: w.SID, AccountSID: acct, FriendlyName: w.FriendlyName,
		DefaultConversationCreatorRoleSID: cfg.DefaultConversationCreatorRoleSID,
		DefaultConversationRoleSID:        cfg.DefaultConversationRoleSID,
		DefaultChatServiceRoleSID:         cfg.DefaultChatServiceRoleSID,
		ReachabilityEnabled:               cfg.ReachabilityEnabled,
		Chat:                              parley.DefaultChatSettings(),
		DateCreated:                       w.DateCreated, DateUpdated: w.DateUpdated}
}

func (w wireRole) record(acct, service string) *parley.Role {
	return &parley.Role{SID: w.SID, AccountSID: acct, ServiceSID: service, FriendlyName: w.FriendlyName,
		Type: w.Type, Permissions: w.Permissions, DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
}

func (w wireUser) record(acct, service string) *parley.User {
	return &parley.User{SID: w.SID, AccountSID: acct, ServiceSID: service, Identity: w.Identity,
		FriendlyName: w.FriendlyName, Attributes: orEmptyJSON(w.Attributes), RoleSID: w.RoleSID,
		DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
}

func (w wireConversation) record(acct, service string) *parley.Conversation {
	return &parley.Conversation{SID: w.SID, AccountSID: acct, ServiceSID: service,
		MessagingServiceSID: w.MessagingServiceSID, FriendlyName: w.FriendlyName, UniqueName: w.UniqueName,
		Attributes: orEmptyJSON(w.Attributes), State: w.State,
		DateInactive: w.Timers.DateInactive, DateClosed: w.Timers.DateClosed,
		// Conversations shows only private channels
		// (https://www.twilio.com/docs/conversations/migrating-chat-conversations).
		Type:        parley.ChannelPrivate,
		DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
}

func (w wireParticipant) record(acct, service, conversation string) *parley.Participant {
	p := &parley.Participant{SID: w.SID, AccountSID: acct, ServiceSID: service, ConversationSID: conversation,
		Identity: w.Identity, Attributes: orEmptyJSON(w.Attributes), RoleSID: w.RoleSID,
		LastReadMessageIndex: w.LastReadMessageIndex, DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
	if w.LastReadTimestamp != nil {
		if t, err := time.Parse(time.RFC3339, *w.LastReadTimestamp); err == nil {
			p.LastReadTimestamp = &t
		}
	}
	var b wireBinding
	if len(w.MessagingBinding) > 0 && json.Unmarshal(w.MessagingBinding, &b) == nil && b.Type != "" {
		p.MessagingBinding = &parley.MessagingBinding{Type: b.Type, Address: b.Address,
			ProxyAddress: b.ProxyAddress, ProjectedAddress: b.ProjectedAddress}
	}
	return p
}

func (w wireMessage) record(acct, service, conversation string) *parley.Message {
	author := w.Author
	if author == "" {
		author = w.From
	}
	return &parley.Message{SID: w.SID, AccountSID: acct, ServiceSID: service, ConversationSID: conversation,
		Index: w.Index, Author: author, Body: w.Body, Attributes: orEmptyJSON(w.Attributes),
		ParticipantSID: w.ParticipantSID, ContentSID: w.ContentSID,
		DateCreated: w.DateCreated, DateUpdated: w.DateUpdated}
}

// hasMedia reports whether the message carried media, which the import
// cannot copy (the files live in Twilio's media store).
// Conversations shows a list, Chat one object or null.
func (w wireMessage) hasMedia() bool {
	var m []json.RawMessage
	if len(w.Media) == 0 || string(w.Media) == "null" {
		return false
	}
	return json.Unmarshal(w.Media, &m) != nil || len(m) > 0
}

func orEmptyJSON(s string) string {
	if s == "" {
		return "{}"
	}
	return s
}
