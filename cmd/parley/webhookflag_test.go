package main

import (
	"bytes"
	"testing"
)

func TestWebhookDenyPrivateFlag(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	cfg, _, err := parseServeFlags(nil, getenv, &bytes.Buffer{})
	if err != nil || cfg.WebhookDenyPrivate {
		t.Fatalf("default = %v (%v), want allow", cfg.WebhookDenyPrivate, err)
	}
	env["PARLEY_WEBHOOK_DENY_PRIVATE"] = "true"
	if cfg, _, err = parseServeFlags(nil, getenv, &bytes.Buffer{}); err != nil || !cfg.WebhookDenyPrivate {
		t.Fatalf("from the environment = %v (%v), want deny", cfg.WebhookDenyPrivate, err)
	}
	if cfg, _, err = parseServeFlags([]string{"--webhook-deny-private=false"}, getenv, &bytes.Buffer{}); err != nil || cfg.WebhookDenyPrivate {
		t.Fatalf("flag over environment = %v (%v), want allow", cfg.WebhookDenyPrivate, err)
	}
	if _, _, err := parseServeFlags([]string{"--webhook-deny-private=maybe"}, getenv, &bytes.Buffer{}); err == nil {
		t.Fatal("a non-boolean value was accepted")
	}
}
