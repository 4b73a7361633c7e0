package conversations_test

import (
	"encoding/json"
	"testing"

	conv "github.com/twilio/twilio-go/rest/conversations/v1"

	"github.com/parley-dev/parley/internal/apitest"
)

func TestAddressConfigurations(t *testing.T) {
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		api := env.Twilio().ConversationsV1
		svc, err := api.CreateService(&conv.CreateServiceParams{FriendlyName: ptr("inbound")})
		if err != nil {
			t.Fatal(err)
		}

		sms, err := api.CreateConfigurationAddress(&conv.CreateConfigurationAddressParams{Type: ptr("sms"),
			Address: ptr("+15551230001"), FriendlyName: ptr("support line"), AutoCreationEnabled: ptr(true),
			AutoCreationType: ptr("webhook"), AutoCreationConversationServiceSid: svc.Sid,
			AutoCreationWebhookUrl: ptr("https://example.com/inbound"), AutoCreationWebhookMethod: ptr("POST"),
			AutoCreationWebhookFilters: &[]string{"onMessageAdded", "onParticipantAdded"}, AddressCountry: ptr("us")})
		if err != nil {
			t.Fatal(err)
		}
		want := `{"conversation_service_sid":"` + *svc.Sid + `","enabled":true,"studio_flow_sid":null,"studio_retry_count":null,` +
			`"type":"webhook","webhook_filters":["onMessageAdded","onParticipantAdded"],"webhook_method":"post","webhook_url":"https://example.com/inbound"}`
		if got := compactJSON(t, *sms.AutoCreation); got != want {
			t.Errorf("auto_creation = %s\nwant %s", got, want)
		}
		if got := spaced(*sms.Type, *sms.Address, *sms.AddressCountry); got != "sms +15551230001 US" {
			t.Errorf("created = %s", got)
		}
		wa, err := api.CreateConfigurationAddress(&conv.CreateConfigurationAddressParams{Type: ptr("whatsapp"),
			Address: ptr("whatsapp:+15551230002"), AutoCreationEnabled: ptr(true), AutoCreationType: ptr("studio"),
			AutoCreationStudioFlowSid: ptr(flowSID), AutoCreationStudioRetryCount: ptr(3)})
		if err != nil {
			t.Fatal(err)
		}

		lookUpByAddress(t, env, *sms.Sid, *wa.Sid)

		all, err := api.ListConfigurationAddress(&conv.ListConfigurationAddressParams{PageSize: ptr(1)})
		if err != nil || len(all) != 2 {
			t.Fatalf("list = %d, %v; want 2", len(all), err)
		}
		only, err := api.ListConfigurationAddress(&conv.ListConfigurationAddressParams{Type: ptr("whatsapp")})
		if err != nil || len(only) != 1 || *only[0].Sid != *wa.Sid {
			t.Errorf("list of whatsapp = %v, %v", only, err)
		}

		// An address has one configuration per account.
		_, err = api.CreateConfigurationAddress(&conv.CreateConfigurationAddressParams{Type: ptr("sms"), Address: ptr("+15551230001")})
		if status, code := twilioCode(t, err); status != 409 || code != 50600 {
			t.Errorf("duplicate address: %d/%d, want 409/50600", status, code)
		}

		rejectBadAddresses(t, env, *wa.Sid)
		if n := storedRows(t, env, "address_configs", "account_sid", env.AccountSID); n != 2 {
			t.Errorf("%d address configurations stored, want 2", n)
		}

		// Deleting the conversation service falls back to the default one.
		if err := api.DeleteService(*svc.Sid); err != nil {
			t.Fatal(err)
		}
		again, err := api.FetchConfigurationAddress(*sms.Sid)
		if err != nil || (*again.AutoCreation).(map[string]any)["conversation_service_sid"] != nil {
			t.Errorf("after deleting the service: %v, %v", again, err)
		}

		expectStatus(t, env.Do("DELETE", "/v1/Configuration/Addresses/%2B15551230001", nil), 204)
		if err := api.DeleteConfigurationAddress(*wa.Sid); err != nil {
			t.Fatal(err)
		}
		_, err = api.FetchConfigurationAddress(*wa.Sid)
		if status, code := twilioCode(t, err); status != 404 || code != 20404 {
			t.Errorf("after delete: %d/%d", status, code)
		}
	})
}

// rejectBadAddresses sends bad creates and updates; each must fail.
func rejectBadAddresses(t *testing.T, env *apitest.Env, waSID string) {
	for name, params := range map[string][]string{
		"no type":            {"Address", "+15550000001"},
		"no address":         {"Type", "sms"},
		"unknown type":       {"Type", "fax", "Address", "+15550000001"},
		"unknown auto type":  {"Type", "sms", "Address", "+15550000001", "AutoCreation.Type", "flex"},
		"webhook no url":     {"Type", "sms", "Address", "+15550000001", "AutoCreation.Type", "webhook"},
		"studio no flow":     {"Type", "sms", "Address", "+15550000001", "AutoCreation.Type", "studio"},
		"pre-event filter":   {"Type", "sms", "Address", "+15550000001", "AutoCreation.WebhookFilters", "onMessageAdd"},
		"bad service sid":    {"Type", "sms", "Address", "+15550000001", "AutoCreation.ConversationServiceSid", "CH00000000000000000000000000000000"},
		"bad method":         {"Type", "sms", "Address", "+15550000001", "AutoCreation.WebhookMethod", "put"},
		"bad country":        {"Type", "sms", "Address", "+15550000001", "AddressCountry", "USA"},
		"negative retries":   {"Type", "sms", "Address", "+15550000001", "AutoCreation.StudioRetryCount", "-1"},
		"retries not number": {"Type", "sms", "Address", "+15550000001", "AutoCreation.StudioRetryCount", "x"},
	} {
		t.Run(name, func(t *testing.T) {
			expectError(t, env.Do("POST", "/v1/Configuration/Addresses", formOf(params...)), 400, 20001)
		})
	}
	for name, params := range map[string][]string{
		"sms not a number":       {"Type", "sms", "Address", "not-a-number"},
		"sms without plus":       {"Type", "sms", "Address", "15550000001"},
		"sms too long":           {"Type", "sms", "Address", "+1234567890123456"},
		"sms with whatsapp":      {"Type", "sms", "Address", "whatsapp:+15550000001"},
		"whatsapp without":       {"Type", "whatsapp", "Address", "+15550000001"},
		"whatsapp not a number":  {"Type", "whatsapp", "Address", "whatsapp:alice"},
		"email without an at":    {"Type", "email", "Address", "support.example.com"},
		"email with a name":      {"Type", "email", "Address", "Support <support@example.com>"},
		"email with two ats":     {"Type", "email", "Address", "a@b@example.com"},
		"sms with spaces inside": {"Type", "sms", "Address", "+1 555 000 0001"},
	} {
		t.Run(name, func(t *testing.T) {
			expectError(t, env.Do("POST", "/v1/Configuration/Addresses", formOf(params...)), 400, 50407)
		})
	}
	email := env.Do("POST", "/v1/Configuration/Addresses", formOf("Type", "email", "Address", "support@example.com"))
	expectStatus(t, email, 201)
	var created struct{ SID string }
	json.Unmarshal(email.Body, &created)
	expectStatus(t, env.Do("DELETE", "/v1/Configuration/Addresses/"+created.SID, nil), 204)
	expectError(t, env.Do("POST", "/v1/Configuration/Addresses", formOf("Type", "sms", "Address", "+15550000001",
		"AutoCreation.ConversationServiceSid", "IS00000000000000000000000000000000")), 404, 20404)
	expectError(t, env.Do("POST", "/v1/Configuration/Addresses/"+waSID, formOf("AutoCreation.Type", "webhook")), 400, 20001)
}

// lookUpByAddress fetches and updates address configurations by SID and by
// the address itself, URL-encoded.
func lookUpByAddress(t *testing.T, env *apitest.Env, smsSID, waSID string) {
	api := env.Twilio().ConversationsV1
	for _, id := range []string{smsSID, "%2B15551230001"} {
		resp := env.Do("GET", "/v1/Configuration/Addresses/"+id, nil)
		expectStatus(t, resp, 200)
		if bodyOf(t, resp)["sid"] != smsSID {
			t.Errorf("fetch %s: %s", id, resp.Body)
		}
	}
	byAddr, err := api.FetchConfigurationAddress("whatsapp:+15551230002")
	if err != nil || *byAddr.Sid != waSID {
		t.Errorf("fetch by address = %v, %v", byAddr, err)
	}
	up, err := api.UpdateConfigurationAddress(smsSID, &conv.UpdateConfigurationAddressParams{FriendlyName: ptr("sales"),
		AutoCreationType: ptr("default"), AutoCreationWebhookFilters: &[]string{"onDeliveryUpdated"}})
	if err != nil {
		t.Fatal(err)
	}
	ac := (*up.AutoCreation).(map[string]any)
	if got := spaced(*up.FriendlyName, ac["type"], ac["webhook_filters"], ac["enabled"]); got != "sales default [onDeliveryUpdated] true" {
		t.Errorf("after update = %s", got)
	}
	resp := env.Do("POST", "/v1/Configuration/Addresses/%2B15551230001", formOf("AutoCreation.Enabled", "false"))
	expectStatus(t, resp, 200)
	if bodyOf(t, resp)["auto_creation"].(map[string]any)["enabled"] != false {
		t.Errorf("update by address: %s", resp.Body)
	}
}
