package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/parley-dev/parley/internal/channel/twilio"
	"github.com/parley-dev/parley/internal/channel/whatsapp"
	"github.com/parley-dev/parley/internal/server"
)

// The channel settings come from the environment (flags win), the
// simulator stays the default, -h shows no channel secret, and a start
// with an adapter it cannot build fails.
func TestChannelFlags(t *testing.T) {
	cfg, _, err := parseServeFlags(nil, func(string) string { return "" }, io.Discard)
	if err != nil || cfg.ChannelSMS != server.ChannelSimulator || cfg.ChannelWhatsApp != server.ChannelSimulator ||
		cfg.Twilio.APIBase != twilio.DefaultAPIBase || cfg.WhatsApp.APIBase != whatsapp.DefaultAPIBase {
		t.Fatalf("defaults = %+v, %v", cfg, err)
	}
	env := map[string]string{"PARLEY_CHANNEL_SMS": "twilio", "PARLEY_CHANNEL_WHATSAPP": "whatsapp-cloud",
		"PARLEY_TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef", "PARLEY_TWILIO_AUTH_TOKEN": "twilio-token-secret",
		"PARLEY_TWILIO_API_BASE": "http://127.0.0.1:1", "PARLEY_WHATSAPP_TOKEN": "wa-token-secret",
		"PARLEY_WHATSAPP_PHONE_NUMBER_ID": "1065", "PARLEY_WHATSAPP_APP_SECRET": "app-secret-secret",
		"PARLEY_WHATSAPP_VERIFY_TOKEN": "verify-secret", "PARLEY_CHANNEL_EMAIL": "smtp",
		"PARLEY_SMTP_URL": "smtp+starttls://parley:smtp-secret@mail.example.com:587", "PARLEY_SMTP_LISTEN": "127.0.0.1:2525"}
	getenv := func(k string) string { return env[k] }
	cfg, _, err = parseServeFlags([]string{"--twilio-messaging-service-sid", "MG0123456789abcdef0123456789abcdef"}, getenv, io.Discard)
	if err != nil || cfg.ChannelSMS != "twilio" || cfg.ChannelWhatsApp != "whatsapp-cloud" ||
		cfg.Twilio.AuthToken != "twilio-token-secret" || cfg.Twilio.APIBase != "http://127.0.0.1:1" ||
		cfg.Twilio.MessagingServiceSID != "MG0123456789abcdef0123456789abcdef" || cfg.WhatsApp.PhoneNumberID != "1065" ||
		cfg.WhatsApp.AppSecret != "app-secret-secret" || cfg.WhatsApp.VerifyToken != "verify-secret" ||
		cfg.ChannelEmail != "smtp" || cfg.Email.URL != env["PARLEY_SMTP_URL"] || cfg.SMTPListen != "127.0.0.1:2525" {
		t.Errorf("from the environment: %+v, %v", cfg, err)
	}
	var help bytes.Buffer
	parseServeFlags([]string{"-h"}, getenv, &help)
	for _, secret := range []string{"twilio-token-secret", "wa-token-secret", "app-secret-secret", "verify-secret", "smtp-secret"} {
		if strings.Contains(help.String(), secret) {
			t.Errorf("-h prints %s:\n%s", secret, help.String())
		}
	}
	for _, args := range [][]string{
		{"--channel-sms", "whatsapp-cloud"},
		{"--channel-sms", "carrier-pigeon"},
		{"--channel-sms", "twilio"}, // no account
		{"--channel-whatsapp", "whatsapp-cloud", "--whatsapp-token", "t"},
		{"--channel-email", "smtp"}, // no server
		{"--channel-email", "smtp", "--smtp-url", "pop3://mail.example.com:110"},
		{"--channel-email", "twilio"},
		{"--smtp-listen", "127.0.0.1:-1"},
	} {
		args = append(args, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
		if err := Main(t.Context(), append([]string{"serve"}, args...), func(string) string { return "" }, io.Discard, io.Discard); err == nil {
			t.Errorf("serve %q started", args)
		}
	}
}
