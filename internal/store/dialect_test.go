package store

import "testing"

func TestSQLiteRebind(t *testing.T) {
	for in, want := range map[string]string{
		"SELECT a FROM t WHERE b = $2 AND c = $1":      "SELECT a FROM t WHERE b = ?2 AND c = ?1",
		"SELECT '$1' FROM t WHERE x = $10":             "SELECT '$1' FROM t WHERE x = ?10",
		"SELECT 1":                                     "SELECT 1",
		"UPDATE t SET price = '$' || $1 WHERE id = $2": "UPDATE t SET price = '$' || ?1 WHERE id = ?2",
	} {
		if got := sqliteRebind(in); got != want {
			t.Errorf("sqliteRebind(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseURL(t *testing.T) {
	for in, engine := range map[string]string{
		"postgres://u@h/db":  "postgres",
		"postgresql://u@h/d": "postgres",
		"/var/lib/p.db":      "sqlite",
		"sqlite:///tmp/x.db": "sqlite",
		"file:x.db":          "sqlite",
	} {
		d, _, err := parseURL(in)
		if err != nil || d.engine != engine {
			t.Errorf("parseURL(%q) = %s, %v; want %s", in, d.engine, err, engine)
		}
	}
	if _, _, err := parseURL("mysql://x"); err == nil {
		t.Error("mysql URL accepted")
	}
}

func TestPostgresDDL(t *testing.T) {
	in := "CREATE TABLE t (\n    seq   INTEGER PRIMARY KEY,\n    n INTEGER NOT NULL\n);"
	want := "CREATE TABLE t (\n    seq   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    n INTEGER NOT NULL\n);"
	if got := postgresDDL(in); got != want {
		t.Errorf("postgresDDL = %q, want %q", got, want)
	}
	in = "CREATE TABLE k (\n    key TEXT PRIMARY KEY\n) WITHOUT ROWID;\nINSERT INTO k SELECT key FROM j;"
	want = "CREATE TABLE k (\n    key TEXT PRIMARY KEY\n);\nINSERT INTO k SELECT key FROM j;"
	if got := postgresDDL(in); got != want {
		t.Errorf("postgresDDL = %q, want %q", got, want)
	}
}
