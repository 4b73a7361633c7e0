package parley_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// readFile returns a repository file's text.
func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// submatch returns the first group of pattern in text, failing if absent.
func submatch(t *testing.T, what, pattern, text string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("%s: no match for %s", what, pattern)
	}
	return m[1]
}

// TestContainerRecipeFollowsReadme keeps the Dockerfile, compose.yaml and
// the README's commands in step. No container registry is reachable where
// the tests run, so this reads the files rather than building an image.
func TestContainerRecipeFollowsReadme(t *testing.T) {
	readme, dockerfile, compose, gomod := readFile(t, "README.md"), readFile(t, "Dockerfile"), readFile(t, "compose.yaml"), readFile(t, "go.mod")
	commands := docBlock(t, "README.md", "<!-- readme-container -->")

	// The image builds the binary with the README's own build command.
	build := submatch(t, "README", "(?m)^(go build -o parley ./cmd/parley)", readme)
	if !strings.Contains(dockerfile, "RUN "+build) {
		t.Errorf("the Dockerfile does not build with the README's %q", build)
	}
	// ... with the Go version go.mod asks for.
	goVersion := submatch(t, "go.mod", `(?m)^go (\d+\.\d+)`, gomod)
	if image := submatch(t, "Dockerfile", `(?m)^FROM golang:(\d+\.\d+)`, dockerfile); image != goVersion {
		t.Errorf("the Dockerfile builds with Go %s, go.mod says %s", image, goVersion)
	}
	// The README's docker commands are the Dockerfile's documented ones.
	for _, line := range strings.Split(commands, "\n") {
		if strings.HasPrefix(line, "docker build") || strings.HasPrefix(line, "docker run") {
			if !strings.Contains(dockerfile, "#   "+line+"\n") {
				t.Errorf("README runs %q, which the Dockerfile's header does not show", line)
			}
		}
		if strings.HasPrefix(line, "docker compose") && !strings.Contains(compose, line) {
			t.Errorf("README runs %q, which compose.yaml's header does not show", line)
		}
	}

	// One data directory everywhere: the image's setting, its volume, the
	// README's -v and the compose mount.
	dataDir := submatch(t, "Dockerfile", `PARLEY_DATA_DIR=(\S+)`, dockerfile)
	if !strings.Contains(dockerfile, "VOLUME "+dataDir+"\n") || !strings.Contains(dockerfile, "chown parley:parley "+dataDir) {
		t.Errorf("the Dockerfile's volume or ownership is not %s", dataDir)
	}
	if v := submatch(t, "README", `-v \S+:(\S+)`, commands); v != dataDir {
		t.Errorf("README mounts %s, the image keeps its data in %s", v, dataDir)
	}
	if v := submatch(t, "compose.yaml", `- parley-data:(\S+)`, compose); v != dataDir {
		t.Errorf("compose mounts %s, the image keeps its data in %s", v, dataDir)
	}

	// One port: the listen address, EXPOSE, README's -p and compose's ports.
	port := submatch(t, "Dockerfile", `PARLEY_ADDR=0\.0\.0\.0:(\d+)`, dockerfile)
	if !strings.Contains(dockerfile, "EXPOSE "+port+"\n") {
		t.Errorf("the Dockerfile listens on %s but exposes another port", port)
	}
	if p := submatch(t, "README", `-p [0-9.]+:\d+:(\d+)`, commands); p != port {
		t.Errorf("README publishes container port %s, the image listens on %s", p, port)
	}
	if p := submatch(t, "compose.yaml", `"[0-9.]+:\d+:(\d+)"`, compose); p != port {
		t.Errorf("compose publishes container port %s, the image listens on %s", p, port)
	}

	// Non-root, and the binary's own command.
	if user := submatch(t, "Dockerfile", `(?m)^USER (\S+)`, dockerfile); user == "root" || user == "0" {
		t.Error("the image runs as root")
	}
	if !strings.Contains(dockerfile, `ENTRYPOINT ["parley"]`) || !strings.Contains(dockerfile, `CMD ["serve"]`) {
		t.Error("the image does not run `parley serve`")
	}

	// compose's database URL names the compose PostgreSQL's user, password
	// and database.
	dbURL := submatch(t, "compose.yaml", `PARLEY_DATABASE_URL: (\S+)`, compose)
	for _, kv := range [][2]string{{"POSTGRES_USER", "parley"}, {"POSTGRES_PASSWORD", "parley"}, {"POSTGRES_DB", "parley"}} {
		if got := submatch(t, "compose.yaml", kv[0]+`: (\S+)`, compose); got != kv[1] {
			t.Errorf("compose sets %s=%s", kv[0], got)
		}
	}
	if dbURL != "postgres://parley:parley@postgres:5432/parley?sslmode=disable" {
		t.Errorf("compose's PARLEY_DATABASE_URL = %s", dbURL)
	}

	// Every setting the recipes use is a documented one.
	for _, name := range regexp.MustCompile(`PARLEY_[A-Z_]+`).FindAllString(dockerfile+compose, -1) {
		if !strings.Contains(readme, "`"+name+"`") {
			t.Errorf("the container recipes set %s, which the README's configuration table lacks", name)
		}
	}
}
