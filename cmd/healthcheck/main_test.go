package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCheck asks stub monitoring endpoints what libbeat's /inputs/ can
// answer: only a 200 listing at least one sflow input is healthy.
func TestCheck(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		want    int
		wantErr string
	}{
		{"two sflow inputs", http.StatusOK, `[{"id":"a","input":"sflow"},{"id":"b","input":"sflow"},{"id":"c","input":"udp"}]`, 2, ""},
		{"no sflow input", http.StatusOK, `[{"id":"c","input":"udp"}]`, 0, "no sflow input is running"},
		{"no input", http.StatusOK, `[]`, 0, "no sflow input is running"},
		{"server error", http.StatusInternalServerError, ``, 0, "500"},
		{"not JSON", http.StatusOK, `<html>`, 0, "GET /inputs/"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(inputsHandler(t, c.status, c.body))
			defer srv.Close()
			n, err := check(srv.URL+"/", time.Second)
			if n != c.want || !errorSays(err, c.wantErr) {
				t.Errorf("check = %d, %v; want %d, error %q", n, err, c.want, c.wantErr)
			}
		})
	}
}

// TestCheckUnixSocket checks the unix:///path form of libbeat's http.host,
// which the tests' beats use, and an endpoint that is not there.
func TestCheckUnixSocket(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "http.sock")
	if _, err := check("unix://"+sock, time.Second); err == nil {
		t.Fatal("check succeeded without a server on the socket")
	}
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(inputsHandler(t, http.StatusOK, `[{"id":"a","input":"sflow"}]`))
	srv.Listener = l
	srv.Start()
	defer srv.Close()
	if n, err := check("unix://"+sock, time.Second); n != 1 || err != nil {
		t.Errorf("check = %d, %v; want 1, no error", n, err)
	}
}

// inputsHandler answers GET /inputs/ with status and body, and fails the
// test on any other request.
func inputsHandler(t *testing.T, status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/inputs/" {
			t.Errorf("request %s %s, want GET /inputs/", r.Method, r.URL.Path)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
}

// errorSays reports whether err is nil when want is empty, or says want.
func errorSays(err error, want string) bool {
	if want == "" {
		return err == nil
	}
	return err != nil && strings.Contains(err.Error(), want)
}
