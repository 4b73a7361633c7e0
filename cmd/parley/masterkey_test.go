package main

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func TestMasterKeyFlag(t *testing.T) {
	key := bytes.Repeat([]byte{0x5a}, 32)
	env := map[string]string{"PARLEY_MASTER_KEY": hex.EncodeToString(key)}
	getenv := func(k string) string { return env[k] }

	cfg, _, err := parseServeFlags(nil, getenv, &bytes.Buffer{})
	if err != nil || !bytes.Equal(cfg.MasterKey, key) {
		t.Fatalf("from $PARLEY_MASTER_KEY: %x, %v", cfg.MasterKey, err)
	}
	other := bytes.Repeat([]byte{0x11}, 32)
	cfg, _, err = parseServeFlags([]string{"--master-key", hex.EncodeToString(other)}, getenv, &bytes.Buffer{})
	if err != nil || !bytes.Equal(cfg.MasterKey, other) {
		t.Fatalf("the flag must win over the environment: %x, %v", cfg.MasterKey, err)
	}
	if _, _, err := parseServeFlags([]string{"--master-key", "short"}, getenv, &bytes.Buffer{}); err == nil {
		t.Error("a malformed key was accepted")
	}
	cfg, _, err = parseServeFlags(nil, func(string) string { return "" }, &bytes.Buffer{})
	if err != nil || cfg.MasterKey != nil {
		t.Errorf("unset key = %x, %v; want nil (the data directory's key file)", cfg.MasterKey, err)
	}

	var help bytes.Buffer
	parseServeFlags([]string{"-h"}, getenv, &help)
	if strings.Contains(help.String(), env["PARLEY_MASTER_KEY"]) {
		t.Error("-h prints the master key")
	}
}
