package conversations_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// upsertReceipt records a delivery status directly, as a channel adapter
// will: REST cannot write receipts.
func upsertReceipt(t *testing.T, env *apitest.Env, m *conv.ConversationsV1ConversationMessage, participantSID, status string, errorCode int) *parley.DeliveryReceipt {
	t.Helper()
	channel := parley.NewSID("SM")
	r := &parley.DeliveryReceipt{SID: parley.NewSID(parley.PrefixDeliveryReceipt), AccountSID: env.AccountSID,
		ServiceSID: env.Server.Account.DefaultServiceSID, ConversationSID: *m.ConversationSid, MessageSID: *m.Sid,
		ParticipantSID: participantSID, ChannelMessageSID: &channel, Status: status, ErrorCode: errorCode}
	err := env.Server.Store.Write(context.Background(), func(tx parley.Tx) error {
		r.DateCreated, r.DateUpdated = tx.Now(), tx.Now()
		return tx.UpsertDeliveryReceipt(r)
	})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// receiptFixture is a conversation with two participants and one message.
func receiptFixture(t *testing.T, env *apitest.Env) (c *conv.ConversationsV1Conversation, m *conv.ConversationsV1ConversationMessage, parts []string) {
	t.Helper()
	api := env.Twilio().ConversationsV1
	c, err := api.CreateConversation(&conv.CreateConversationParams{UniqueName: ptr("receipts")})
	if err != nil {
		t.Fatal(err)
	}
	for _, identity := range []string{"alice", "bob"} {
		p, err := api.CreateConversationParticipant(*c.Sid, &conv.CreateConversationParticipantParams{Identity: ptr(identity)})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, *p.Sid)
	}
	m, err = api.CreateConversationMessage(*c.Sid, &conv.CreateConversationMessageParams{Body: ptr("hello")})
	if err != nil {
		t.Fatal(err)
	}
	return c, m, parts
}

func TestDeliveryReceipts(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		svc := env.Server.Account.DefaultServiceSID
		c, m, parts := receiptFixture(t, env)

		none, err := api.ListConversationMessageReceipt(*c.Sid, *m.Sid, nil)
		if err != nil || len(none) != 0 {
			t.Fatalf("new message lists %d receipts (err %v), want 0", len(none), err)
		}
		first := upsertReceipt(t, env, m, parts[0], parley.DeliverySent, 0)
		upsertReceipt(t, env, m, parts[1], parley.DeliveryFailed, 30008)
		// Only the latest status is kept: the receipt keeps its SID.
		again := upsertReceipt(t, env, m, parts[0], parley.DeliveryDelivered, 0)
		if again.SID != first.SID {
			t.Errorf("second status got SID %s, want the receipt's %s", again.SID, first.SID)
		}

		list, err := api.ListConversationMessageReceipt("receipts", *m.Sid, &conv.ListConversationMessageReceiptParams{PageSize: ptr(1)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range list {
			got = append(got, fmt.Sprintf("%s:%s:%d", *r.ParticipantSid, *r.Status, r.ErrorCode))
		}
		want := []string{parts[0] + ":delivered:0", parts[1] + ":failed:30008"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("receipts = %v, want %v", got, want)
		}

		r, err := api.FetchConversationMessageReceipt(*c.Sid, *m.Sid, first.SID)
		if err != nil {
			t.Fatal(err)
		}
		if *r.Sid != first.SID || *r.MessageSid != *m.Sid || *r.ConversationSid != *c.Sid || *r.ChannelMessageSid != *again.ChannelMessageSID {
			t.Errorf("fetched %+v, want receipt %s", r, first.SID)
		}
		if got, want := *r.Url, env.URL+"/v1/Conversations/"+*c.Sid+"/Messages/"+*m.Sid+"/Receipts/"+first.SID; got != want {
			t.Errorf("url = %s, want %s", got, want)
		}

		// The service-scoped twins carry chat_service_sid.
		slist, err := api.ListServiceConversationMessageReceipt(svc, *c.Sid, *m.Sid, nil)
		if err != nil || len(slist) != 2 {
			t.Fatalf("service route lists %d receipts (err %v), want 2", len(slist), err)
		}
		sr, err := api.FetchServiceConversationMessageReceipt(svc, *c.Sid, *m.Sid, first.SID)
		if err != nil {
			t.Fatal(err)
		}
		if sr.ChatServiceSid == nil || *sr.ChatServiceSid != svc || *sr.Status != "delivered" {
			t.Errorf("service-scoped fetch: %+v", sr)
		}

		// The aggregate groundwork: one delivered, one failed.
		var summary *parley.DeliverySummary
		err = env.Server.Store.Read(context.Background(), func(tx parley.Tx) error {
			statuses, err := tx.DeliveryStatuses([]string{*m.Sid, parley.NewSID(parley.PrefixMessage)})
			summary = parley.SummarizeDelivery(statuses[*m.Sid])
			return err
		})
		if got, want := fmt.Sprint(summary), "&{2 some some none some none}"; err != nil || got != want {
			t.Errorf("delivery summary = %s (err %v), want %s", got, err, want)
		}
	})
}

func TestDeliveryReceiptsNotFoundAndCascade(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		c, m, parts := receiptFixture(t, env)
		r := upsertReceipt(t, env, m, parts[0], parley.DeliveryRead, 0)
		other, err := api.CreateConversation(nil)
		if err != nil {
			t.Fatal(err)
		}

		for name, fetch := range map[string]func() error{
			"unknown receipt": func() error {
				_, err := api.FetchConversationMessageReceipt(*c.Sid, *m.Sid, parley.NewSID(parley.PrefixDeliveryReceipt))
				return err
			},
			"unknown message": func() error {
				_, err := api.ListConversationMessageReceipt(*c.Sid, parley.NewSID(parley.PrefixMessage), nil)
				return err
			},
			"message of another conversation": func() error {
				_, err := api.FetchConversationMessageReceipt(*other.Sid, *m.Sid, r.SID)
				return err
			},
		} {
			if status, code := twilioCode(t, fetch()); status != 404 || code != 20404 {
				t.Errorf("%s: %d/%d, want 404/20404", name, status, code)
			}
		}

		// The page size is clamped to the spec's maximum of 50.
		resp := env.Do("GET", "/v1/Conversations/"+*c.Sid+"/Messages/"+*m.Sid+"/Receipts?PageSize=100", nil)
		var page struct {
			Meta struct {
				PageSize int `json:"page_size"`
			} `json:"meta"`
		}
		if err := json.Unmarshal(resp.Body, &page); err != nil || page.Meta.PageSize != 50 {
			t.Errorf("PageSize=100: %s, want page_size 50", resp)
		}

		// Receipts go with their message.
		if err := api.DeleteConversationMessage(*c.Sid, *m.Sid, nil); err != nil {
			t.Fatal(err)
		}
		err = env.Server.Store.Read(context.Background(), func(tx parley.Tx) error {
			_, err := tx.DeliveryReceipt(*m.Sid, r.SID)
			return err
		})
		if !parley.IsNotFound(err) {
			t.Errorf("receipt of a deleted message: %v, want not found", err)
		}
	})
}
