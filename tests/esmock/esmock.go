// Package esmock is an Elasticsearch-protocol server for tests: it answers
// what a libbeat Elasticsearch output asks at connection time (version,
// license, index template, ILM policy), accepts _bulk requests and records
// every request and every indexed document.
package esmock

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
)

// Version is the Elasticsearch version the server reports.
const Version = "9.3.0"

// Request is one recorded HTTP request.
type Request struct {
	Method string
	Path   string // URL path with the raw query, e.g. /_index_template/x?...
	Body   []byte // decompressed
}

// Doc is one document received through _bulk.
type Doc struct {
	Action string         // create or index
	Index  string         // _index of the action line
	Meta   map[string]any // the whole action metadata (pipeline, ...)
	Source map[string]any // the document
}

// Server is a running mock. Create it with Start.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	requests []Request
	docs     []Doc
	notify   chan struct{}
	// Reject makes _bulk answer 503 to every request while it is true.
	reject bool
	// countOnly keeps no documents and no request bodies, only counts
	// (for load tests).
	countOnly bool
	count     atomic.Int64
}

// Start starts a server on 127.0.0.1 with a random port; Close stops it.
func Start() *Server {
	s := &Server{notify: make(chan struct{}, 1)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// StartCounting starts a server that only counts the documents it
// receives, for load tests: Count returns the number.
func StartCounting() *Server {
	s := &Server{notify: make(chan struct{}, 1), countOnly: true}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Count returns the number of documents received so far.
func (s *Server) Count() int64 { return s.count.Load() }

// SetReject makes the _bulk endpoint fail with 503 (an outage) or succeed.
func (s *Server) SetReject(v bool) {
	s.mu.Lock()
	s.reject = v
	s.mu.Unlock()
}

// Docs returns a copy of the documents received so far.
func (s *Server) Docs() []Doc {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Doc(nil), s.docs...)
}

// Requests returns a copy of the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Notify returns a channel that receives a value after each _bulk request.
func (s *Server) Notify() <-chan struct{} { return s.notify }

// serve routes one request.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !s.countOnly {
		s.record(r, body)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Elastic-Product", "Elasticsearch")
	path := r.URL.Path
	switch {
	case path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		fmt.Fprintf(w, `{"name":"esmock","cluster_name":"esmock","cluster_uuid":"esmock-uuid","version":{"number":%q,"build_flavor":"default"},"tagline":"You Know, for Search"}`, Version)
	case path == "/_license":
		fmt.Fprint(w, `{"license":{"uid":"esmock","type":"trial","status":"active","expiry_date_in_millis":4102444800000}}`)
	case strings.HasSuffix(path, "/_bulk") || path == "/_bulk":
		s.bulk(w, body)
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error":{"type":"resource_not_found_exception"},"status":404}`)
	default:
		fmt.Fprint(w, `{"acknowledged":true}`)
	}
}

// readBody returns the request body, gunzipped if needed.
func readBody(r *http.Request) ([]byte, error) {
	var rd io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, err
		}
		rd = gz
	}
	return io.ReadAll(rd)
}

// record stores the request.
func (s *Server) record(r *http.Request, body []byte) {
	p := r.URL.Path
	if r.URL.RawQuery != "" {
		p += "?" + r.URL.RawQuery
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: p, Body: body})
	s.mu.Unlock()
}

// bulk parses a _bulk body (action line, source line), stores the documents
// and answers with one successful item per action.
func (s *Server) bulk(w http.ResponseWriter, body []byte) {
	s.mu.Lock()
	reject := s.reject
	s.mu.Unlock()
	if reject {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprint(w, `{"error":"unavailable","status":503}`)
		return
	}
	if s.countOnly {
		s.countBulk(w, body)
		return
	}
	docs, err := parseBulk(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var items []string
	for _, d := range docs {
		items = append(items, fmt.Sprintf(`{%q:{"_index":%q,"status":201,"result":"created"}}`, d.Action, d.Index))
	}
	s.mu.Lock()
	s.docs = append(s.docs, docs...)
	s.mu.Unlock()
	s.count.Add(int64(len(docs)))
	fmt.Fprintf(w, `{"took":1,"errors":false,"items":[%s]}`, strings.Join(items, ","))
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// countBulk answers a _bulk request without parsing the documents: every
// second non-empty line is a document.
func (s *Server) countBulk(w http.ResponseWriter, body []byte) {
	lines := 0
	for len(body) > 0 {
		i := bytes.IndexByte(body, '\n')
		if i < 0 {
			i = len(body)
		}
		if i > 0 {
			lines++
		}
		body = body[min(i+1, len(body)):]
	}
	n := lines / 2
	var b bytes.Buffer
	b.Grow(40 + n*28)
	b.WriteString(`{"took":1,"errors":false,"items":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"create":{"status":201}}`)
	}
	b.WriteString(`]}`)
	s.count.Add(int64(n))
	_, _ = w.Write(b.Bytes())
}

// parseBulk splits a _bulk body into documents.
func parseBulk(body []byte) ([]Doc, error) {
	var docs []Doc
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var action map[string]map[string]any
		if err := json.Unmarshal(sc.Bytes(), &action); err != nil {
			return nil, fmt.Errorf("bad action line: %w", err)
		}
		if !sc.Scan() {
			return nil, fmt.Errorf("action without document")
		}
		var src map[string]any
		if err := json.Unmarshal(sc.Bytes(), &src); err != nil {
			return nil, fmt.Errorf("bad document line: %w", err)
		}
		for name, meta := range action {
			idx, _ := meta["_index"].(string)
			docs = append(docs, Doc{Action: name, Index: idx, Meta: meta, Source: src})
		}
	}
	return docs, sc.Err()
}
