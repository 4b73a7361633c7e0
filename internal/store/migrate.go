package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies, in order and each in its own transaction, the embedded
// migrations/NNNN_name.sql files not yet recorded in schema_migrations. The
// files are written once, in SQLite's dialect of the SQL both engines share;
// the dialect's ddl adapts the few words that differ.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.writer.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	dir := "migrations"
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		version, err := strconv.Atoi(strings.SplitN(e.Name(), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		body, err := fs.ReadFile(migrations, dir+"/"+e.Name())
		if err != nil {
			return err
		}
		if err := db.applyMigration(ctx, version, db.d.ddl(string(body))); err != nil {
			return fmt.Errorf("migration %s: %w", e.Name(), err)
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, version int, body string) error {
	sqlTx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	if db.d.engine == "postgres" {
		// Nodes starting together take turns; SQLite's IMMEDIATE begin already does.
		if _, err := sqlTx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7274500)`); err != nil {
			return err
		}
	}
	var n int
	if err := sqlTx.QueryRowContext(ctx, db.d.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = $1`), version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := sqlTx.ExecContext(ctx, body); err != nil {
		return err
	}
	if _, err := sqlTx.ExecContext(ctx, db.d.rebind(`INSERT INTO schema_migrations (version) VALUES ($1)`), version); err != nil {
		return err
	}
	return sqlTx.Commit()
}
