package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver Parley uses
	_ "github.com/mattn/go-sqlite3"    // the SQLite driver Parley uses
)

// The floor is the cheapest server that does the irreducible work of a
// message create: parse the same form body, reserve the conversation's next
// message index and write one message row in one durable transaction on the
// same engine, driver and settings as Parley, and answer a small JSON body.
// It has no authentication, no routing beyond one pattern and no rendering;
// Parley's distance from it is the cost of everything else.
type floor struct {
	db       *sql.DB
	postgres bool
	listener net.Listener
	http     *http.Server
	group    *groupCommitter
}

// floorSchema is the floor's two tables: a counter row per conversation and
// the messages, findable by SID and by (conversation, index) like Parley's.
const floorSchema = `
CREATE TABLE floor_conversations (id BIGINT PRIMARY KEY, last_index BIGINT NOT NULL);
CREATE TABLE floor_messages (
    sid TEXT NOT NULL PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES floor_conversations (id),
    idx BIGINT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    date_created BIGINT NOT NULL,
    UNIQUE (conversation_id, idx)
)`

// floorSQLiteDSN mirrors the settings of Parley's SQLite writer (see
// internal/store): WAL, synchronous=FULL so an acknowledged commit survives
// power loss, foreign keys, and the write lock taken at BEGIN.
func floorSQLiteDSN(path string) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", "FULL")
	v.Set("_foreign_keys", "on")
	v.Set("_busy_timeout", "10000")
	v.Set("_txlock", "immediate")
	return "file:" + filepath.ToSlash(path) + "?" + v.Encode()
}

// startFloor opens the floor's database (a SQLite file path, or a postgres://
// URL whose search_path selects a fresh schema), creates its tables with
// conversations 0..conversations-1, and starts serving on 127.0.0.1:0.
func startFloor(ctx context.Context, dbURL string, maxConns, conversations int) (*floor, error) {
	f := &floor{postgres: isPostgres(dbURL)}
	driver, dsn := "sqlite3", floorSQLiteDSN(dbURL)
	if f.postgres {
		driver, dsn = "pgx", dbURL
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("floor: %w", err)
	}
	f.db = db
	if f.postgres {
		db.SetMaxOpenConns(maxConns)
		db.SetMaxIdleConns(maxConns)
	} else {
		// One connection: SQLite has one writer, and Parley queues its writers
		// in Go the same way.
		db.SetMaxOpenConns(1)
	}
	err = f.setup(ctx, conversations)
	if err == nil {
		f.listener, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		f.db.Close()
		return nil, fmt.Errorf("floor: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /conversations/{id}/messages", f.createMessage)
	mux.HandleFunc("POST /grouped/conversations/{id}/messages", f.createMessageGrouped)
	f.group = newGroupCommitter(f)
	f.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go f.http.Serve(f.listener)
	return f, nil
}

func (f *floor) setup(ctx context.Context, conversations int) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range strings.Split(floorSchema, ";") {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	for i := range conversations {
		if _, err := tx.ExecContext(ctx, f.rebind(`INSERT INTO floor_conversations (id, last_index) VALUES ($1, -1)`), i); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// rebind turns $n placeholders into SQLite's ?n.
func (f *floor) rebind(q string) string {
	if f.postgres {
		return q
	}
	return strings.ReplaceAll(q, "$", "?")
}

// url is the floor's base URL.
func (f *floor) url() string { return "http://" + f.listener.Addr().String() }

// messagePath is where a message into conversation i is posted.
func messagePath(i int) string { return "/conversations/" + strconv.Itoa(i) + "/messages" }

// groupedMessagePath is where the group-commit variant takes it.
func groupedMessagePath(i int) string { return "/grouped" + messagePath(i) }

type floorMessage struct {
	SID          string `json:"sid"`
	Conversation int64  `json:"conversation"`
	Index        int64  `json:"index"`
	Author       string `json:"author"`
	Body         string `json:"body"`
	DateCreated  int64  `json:"date_created"`
}

func (f *floor) createMessage(w http.ResponseWriter, r *http.Request) {
	f.handleCreate(w, r, f.insert)
}

// handleCreate parses the form, writes the message with write and answers.
func (f *floor) handleCreate(w http.ResponseWriter, r *http.Request, write func(context.Context, *floorMessage) error) {
	conv, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.Error(w, "bad conversation", http.StatusNotFound)
		return
	}
	if err := r.ParseForm(); err != nil || r.PostForm.Get("Body") == "" {
		http.Error(w, "Body is required", http.StatusBadRequest)
		return
	}
	m := floorMessage{SID: newFloorSID(), Conversation: conv, Author: r.PostForm.Get("Author"),
		Body: r.PostForm.Get("Body"), DateCreated: time.Now().UnixMilli()}
	if m.Author == "" {
		m.Author = "system"
	}
	if err := write(r.Context(), &m); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(&m)
}

// insert writes the message in a transaction of its own.
func (f *floor) insert(ctx context.Context, m *floorMessage) error {
	tx, err := f.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f.insertTx(ctx, tx, m); err != nil {
		return err
	}
	return tx.Commit()
}

// insertTx reserves the conversation's next index under its row lock and
// writes the message.
func (f *floor) insertTx(ctx context.Context, tx *sql.Tx, m *floorMessage) error {
	err := tx.QueryRowContext(ctx, f.rebind(`UPDATE floor_conversations SET last_index = last_index + 1
		WHERE id = $1 RETURNING last_index`), m.Conversation).Scan(&m.Index)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("no conversation %d", m.Conversation)
	}
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, f.rebind(`INSERT INTO floor_messages (sid, conversation_id, idx, author, body, date_created)
		VALUES ($1, $2, $3, $4, $5, $6)`), m.SID, m.Conversation, m.Index, m.Author, m.Body, m.DateCreated)
	return err
}

// newFloorSID is a message SID shaped like Parley's (IM + 32 hex digits).
func newFloorSID() string {
	var b [16]byte
	rand.Read(b[:])
	return "IM" + hex.EncodeToString(b[:])
}

func (f *floor) close(ctx context.Context) error {
	err := f.http.Shutdown(ctx)
	f.group.close()
	return errors.Join(err, f.db.Close())
}

func isPostgres(dbURL string) bool {
	return strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://")
}
