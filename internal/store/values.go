package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	parley "github.com/parley-dev/parley"
)

// Times are stored as Unix milliseconds, which both engines compare and
// index the same way.

func millis(t time.Time) int64 { return t.UnixMilli() }

func nullMillis(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func timePtr(ms sql.NullInt64) *time.Time {
	if !ms.Valid {
		return nil
	}
	t := fromMillis(ms.Int64)
	return &t
}

// inMillis is a Scan destination for a Unix-milliseconds column: a scan
// function names the field once instead of declaring a temporary and
// converting it after. NULL is an error, as it is for an int64.
func inMillis(t *time.Time) sql.Scanner { return millisDest{t} }

type millisDest struct{ t *time.Time }

func (d millisDest) Scan(v any) error {
	var ms sql.NullInt64
	if err := ms.Scan(v); err != nil {
		return err
	}
	if !ms.Valid {
		return errors.New("store: NULL in a time column")
	}
	*d.t = fromMillis(ms.Int64)
	return nil
}

// optional is a Scan destination for a nullable text column read into a
// *string (nil for NULL).
func optional(s **string) sql.Scanner { return optionalDest{s} }

type optionalDest struct{ s **string }

func (d optionalDest) Scan(v any) error {
	var ns sql.NullString
	if err := ns.Scan(v); err != nil {
		return err
	}
	*d.s = strPtr(ns)
	return nil
}

func strPtr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}

func intPtr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// query accumulates a SELECT's conditions and arguments; placeholders are
// numbered as they are added.
type query struct {
	where []string
	args  []any
}

// add appends a condition whose "?" stands for arg.
func (q *query) add(cond string, arg any) {
	q.args = append(q.args, arg)
	q.where = append(q.where, strings.Replace(cond, "?", "$"+strconv.Itoa(len(q.args)), 1))
}

// page appends the keyset condition, order and limit for p on column key,
// whose natural order is ascending. It returns whether the rows come back
// reversed (reading backwards from a Before key) and must be flipped.
func (q *query) page(key string, p parley.PageRequest) (string, bool) {
	return q.pageBy("", key, "", p)
}

// pageBy is page ordered by sortCol of table, ties broken by the keyset
// column key ("" sortCol: by key alone). Page tokens stay key values: the
// row a token names supplies its sortCol value, and rows compare as
// (sortCol, key) pairs, which both engines support. A token whose row has
// since been deleted ends the list.
func (q *query) pageBy(sortCol, key, table string, p parley.PageRequest) (string, bool) {
	desc := p.Desc
	if tok := firstNonNil(p.After, p.Before); tok != nil {
		q.args = append(q.args, *tok)
		n := "$" + strconv.Itoa(len(q.args))
		op := " < "
		if p.After != nil != desc {
			op = " > "
		}
		if sortCol == "" {
			q.where = append(q.where, key+op+n)
		} else {
			q.where = append(q.where, "("+sortCol+", "+key+")"+op+"((SELECT "+sortCol+" FROM "+table+" WHERE "+key+" = "+n+"), "+n+")")
		}
	}
	reversed := p.Before != nil
	if reversed {
		desc = !desc
	}
	order := " ASC"
	if desc {
		order = " DESC"
	}
	by := key + order
	if sortCol != "" {
		by = sortCol + order + ", " + by
	}
	sql := ""
	if len(q.where) > 0 {
		sql = " WHERE " + strings.Join(q.where, " AND ")
	}
	return sql + " ORDER BY " + by + " LIMIT " + strconv.Itoa(p.Size+1), reversed
}

func firstNonNil(a, b *int64) *int64 {
	if a != nil {
		return a
	}
	return b
}

// collect scans every row with scan, trims the look-ahead row that tells
// whether more exist, and restores natural order for backward reads.
func collect[T any](rows rows, err error, size int, reversed bool, scan func(scanner) (T, error)) (parley.Page[T], error) {
	var page parley.Page[T]
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, item)
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	if len(page.Items) > size {
		page.Items, page.More = page.Items[:size], true
	}
	if reversed {
		for i, j := 0, len(page.Items)-1; i < j; i, j = i+1, j-1 {
			page.Items[i], page.Items[j] = page.Items[j], page.Items[i]
		}
	}
	return page, nil
}

// scanner is a *sql.Row, *sql.Rows or a row of the pipeline.
type scanner interface{ Scan(dest ...any) error }

// parentGone turns the foreign-key failure of an insert whose parent row
// (resource id) was deleted meanwhile, by a transaction that committed
// after this one read it, into the parent's not-found error.
func parentGone(err error, resource, id string) error {
	if err != nil && isForeignKeyViolation(err) {
		return parley.NotFound(resource, id)
	}
	return err
}

// notFound turns sql.ErrNoRows (which pgx's own ErrNoRows wraps) into
// Twilio's not-found error.
func notFound(err error, resource, id string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return parley.NotFound(resource, id)
	}
	return err
}
