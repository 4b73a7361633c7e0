package sdktest

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocsSnippets: the code blocks of docs/client-sdk.md are the very
// functions the SDK tests run.
func TestDocsSnippets(t *testing.T) {
	doc, err := os.ReadFile("../../docs/client-sdk.md")
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile("node/sdk.mjs")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)<!-- (sdk-[a-z]+):[^\n]*-->\n```js\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) != 2 {
		t.Fatalf("found %d marked snippets in docs/client-sdk.md, want 2", len(blocks))
	}
	for _, b := range blocks {
		if !strings.Contains(string(script), b[2]) {
			t.Errorf("docs/client-sdk.md's %s snippet is not in node/sdk.mjs:\n%s", b[1], b[2])
		}
	}
}
