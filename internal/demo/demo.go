// Package demo serves the chat page at /demo: a plain HTML and JavaScript
// front-end on the official @twilio/conversations SDK, embedded in the
// binary, that shows typing, read marks, presence and pictures the way a
// real application would. The page signs in through a token endpoint that
// only a dev-mode server (parley serve --dev) opens; without it the page
// takes a pasted token (parley token --identity NAME).
//
// web/twilio-conversations.min.js is the SDK's own browser bundle, copied
// unchanged from the package pinned in sdk/package-lock.json. Rebuild it
// after changing the pin with:
//
//	cd internal/demo/sdk && npm ci --no-audit --no-fund && npm run bundle
//
// TestBundleMatchesLockfile fails when the two disagree.
package demo

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"strings"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// Path is where the page is served.
const Path = "/demo"

// TokenTTL is the lifetime of a token the dev endpoint mints; the page
// fetches a new one when the SDK says the old one is about to expire.
const TokenTTL = 3600

// maxIdentityLength is Twilio's limit on an identity (the User resource's
// Identity, https://www.twilio.com/docs/conversations/api/user-resource).
const maxIdentityLength = 256

//go:embed web
var files embed.FS

// Tokens mints an access token for identity, valid for ttlSeconds, signed
// with a key of the server's account for its default service.
type Tokens func(ctx context.Context, identity string, ttlSeconds int) (string, error)

// Handler serves the page and its files under Path, and POST Path/token
// when tokens is set (dev mode); without it that endpoint answers 404 and
// the page asks for a pasted token instead.
func Handler(tokens Tokens) http.Handler {
	web, err := fs.Sub(files, "web")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+Path, http.RedirectHandler(Path+"/", http.StatusMovedPermanently))
	static := http.StripPrefix(Path+"/", http.FileServerFS(web))
	mux.Handle("GET "+Path+"/", noCache(static))
	mux.Handle("POST "+Path+"/token", twilioapi.HandlerFunc(func(w http.ResponseWriter, r *http.Request) error {
		if tokens == nil {
			return parley.Errorf(parley.CodeNotFound, "The token endpoint is off: it is on only on a server started with parley serve --dev")
		}
		return mintToken(w, r, tokens)
	}))
	return mux
}

// TokenResponse is the dev endpoint's answer.
type TokenResponse struct {
	Identity string `json:"identity"`
	Token    string `json:"token"`
	TTL      int    `json:"ttl"`
}

func mintToken(w http.ResponseWriter, r *http.Request, tokens Tokens) error {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return err
	}
	identity := ""
	if s := p.String("Identity"); s != nil {
		identity = strings.TrimSpace(*s)
	}
	if identity == "" {
		return parley.Errorf(parley.CodeInvalidParameter, "Missing required parameter Identity")
	}
	if len(identity) > maxIdentityLength {
		return parley.Errorf(parley.CodeInvalidParameter, "Identity is longer than %d characters", maxIdentityLength)
	}
	jwt, err := tokens(r.Context(), identity, TokenTTL)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	twilioapi.WriteJSON(w, http.StatusOK, TokenResponse{Identity: identity, Token: jwt, TTL: TokenTTL})
	return nil
}

// noCache makes browsers revalidate the page, so an upgraded Parley serves its new
// files at once; they are small and served from memory.
func noCache(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-cache")
		next.ServeHTTP(w, r)
	})
}
