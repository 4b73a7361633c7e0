package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/parley-dev/parley/internal/accesstoken"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/demo"
)

// devKeyName names the API key dev mode signs the demo page's tokens with,
// created on the first dev-mode start and reused after; deleting it
// revokes every token it signed.
const devKeyName = "parley serve --dev"

// devTokens is dev mode's token minter for the demo page: tokens for any
// identity of the account's default service, without credentials. It
// finds (or creates) its key first, so a start that cannot sign fails and
// the log can name the key.
func devTokens(ctx context.Context, app *core.App, accountSID string) (demo.Tokens, string, error) {
	k, _, err := app.NamedKey(ctx, accountSID, devKeyName)
	if err != nil {
		return nil, "", err
	}
	mint := func(ctx context.Context, identity string, ttlSeconds int) (string, error) {
		// Looked up each time: a key deleted meanwhile is made again
		// rather than signing tokens nobody accepts.
		k, _, err := app.NamedKey(ctx, accountSID, devKeyName)
		if err != nil {
			return "", err
		}
		return accesstoken.Mint(accesstoken.Key{SID: k.SID, AccountSID: k.AccountSID, Secret: k.Secret}, identity, "",
			time.Now(), time.Duration(ttlSeconds)*time.Second)
	}
	return mint, k.SID, nil
}

// demoPage is the /demo handler, with the token endpoint in dev mode,
// which it announces in the log.
func demoPage(ctx context.Context, cfg Config, app *core.App, accountSID string, log *slog.Logger) (http.Handler, error) {
	if !cfg.Dev {
		return demo.Handler(nil), nil
	}
	tokens, keySID, err := devTokens(ctx, app, accountSID)
	if err != nil {
		return nil, fmt.Errorf("dev mode: %w", err)
	}
	log.Warn("dev mode is on: POST /demo/token hands out access tokens for any identity without credentials; never use --dev on a server others can reach",
		"page", demo.Path, "signing_key", keySID, "account", accountSID)
	return demo.Handler(tokens), nil
}
