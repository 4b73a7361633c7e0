package importer

import (
	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/core"
)

// The kinds of record copied from Conversations v1 lists. Each compares
// the fields verify compares, so what a re-run rewrites is exactly what
// verify would report.

func (im *Importer) roleKind(service string) kind[wireRole, *parley.Role] {
	return kind[wireRole, *parley.Role]{resource: "roles",
		record: func(w wireRole) *parley.Role { return w.record(im.AccountSID, service) },
		find:   func(tx parley.Tx, w wireRole) (*parley.Role, error) { return tx.Role(service, w.SID) },
		fields: roleFields,
		create: func(tx parley.Tx, r *parley.Role) error { return tx.CreateRole(r) },
		update: func(tx parley.Tx, have, want *parley.Role) error {
			// A role's name and type are fixed at creation, on Twilio too.
			have.Permissions, have.DateUpdated = want.Permissions, want.DateUpdated
			return tx.UpdateRole(have)
		}}
}

func (im *Importer) userKind(service string) kind[wireUser, *parley.User] {
	return kind[wireUser, *parley.User]{resource: "users",
		record: func(w wireUser) *parley.User { return w.record(im.AccountSID, service) },
		find:   func(tx parley.Tx, w wireUser) (*parley.User, error) { return tx.User(service, w.SID) },
		fields: userFields,
		create: func(tx parley.Tx, u *parley.User) error { return tx.CreateUser(u) },
		update: func(tx parley.Tx, have, want *parley.User) error {
			have.FriendlyName, have.Attributes, have.RoleSID, have.DateUpdated =
				want.FriendlyName, want.Attributes, want.RoleSID, want.DateUpdated
			return tx.UpdateUser(have)
		}}
}

func (im *Importer) conversationKind(service string) kind[wireConversation, *parley.Conversation] {
	return kind[wireConversation, *parley.Conversation]{resource: "conversations",
		record: func(w wireConversation) *parley.Conversation { return w.record(im.AccountSID, service) },
		find: func(tx parley.Tx, w wireConversation) (*parley.Conversation, error) {
			return tx.Conversation(service, w.SID)
		},
		fields: conversationFields,
		create: func(tx parley.Tx, c *parley.Conversation) error {
			if err := tx.CreateConversation(c); err != nil {
				return err
			}
			return core.ArmImportedTimer(tx, c)
		},
		update: func(tx parley.Tx, have, want *parley.Conversation) error {
			// Type and creator come from Chat (chat.go); counters and the
			// last message index are the target's own.
			have.FriendlyName, have.UniqueName, have.Attributes, have.State = want.FriendlyName, want.UniqueName, want.Attributes, want.State
			have.MessagingServiceSID, have.DateInactive, have.DateClosed = want.MessagingServiceSID, want.DateInactive, want.DateClosed
			have.DateCreated, have.DateUpdated = want.DateCreated, want.DateUpdated
			if err := tx.UpdateConversation(have); err != nil {
				return err
			}
			return core.ArmImportedTimer(tx, have)
		}}
}

func (im *Importer) participantKind(service, conv string) kind[wireParticipant, *parley.Participant] {
	return kind[wireParticipant, *parley.Participant]{resource: "participants",
		record: func(w wireParticipant) *parley.Participant { return w.record(im.AccountSID, service, conv) },
		find: func(tx parley.Tx, w wireParticipant) (*parley.Participant, error) {
			return tx.Participant(conv, w.SID)
		},
		fields: participantFields,
		create: func(tx parley.Tx, p *parley.Participant) error { return tx.CreateParticipant(p) },
		update: func(tx parley.Tx, have, want *parley.Participant) error {
			want.Seq = have.Seq
			return tx.UpdateParticipant(want)
		}}
}

// serviceKind copies a service with its configuration and, when the source
// has Chat, its Chat settings (chat nil keeps the target's).
func (im *Importer) serviceKind(cfg wireServiceConfig, chat *parley.ChatSettings) kind[wireService, *parley.Service] {
	fields := func(s *parley.Service) map[string]any {
		f := serviceFields(s)
		if chat != nil {
			f["chat"] = chatJSON(s.Chat)
		}
		return f
	}
	return kind[wireService, *parley.Service]{resource: "services",
		record: func(w wireService) *parley.Service {
			s := w.record(im.AccountSID, cfg)
			if chat != nil {
				s.Chat = *chat
			}
			return s
		},
		find:   func(tx parley.Tx, w wireService) (*parley.Service, error) { return tx.Service(im.AccountSID, w.SID) },
		fields: fields,
		create: func(tx parley.Tx, s *parley.Service) error { return tx.CreateService(s) },
		update: func(tx parley.Tx, have, want *parley.Service) error {
			if chat == nil {
				want.Chat = have.Chat
			}
			want.Seq = have.Seq
			return tx.UpdateService(want)
		}}
}
