// Command healthcheck is the HEALTHCHECK of the sflowbeat container image,
// which has no shell and no curl. It asks the beat's HTTP monitoring
// endpoint for /inputs/ and succeeds (exit 0) only when the endpoint answers
// and lists at least one running sflow input: the process is up, its
// monitoring server serves, and the UDP listeners were started (an input is
// registered once its sockets are bound). Anything else exits 1 with the
// reason on stderr, which Docker keeps in `docker inspect` .State.Health.
//
//	healthcheck [-endpoint http://localhost:5066] [-timeout 5s]
//
// The endpoint takes libbeat's http.host forms: http://host:port or
// unix:///path/to/socket.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// inputType is the type the sflow inputs have in /inputs/.
const inputType = "sflow"

func main() {
	endpoint := flag.String("endpoint", "http://localhost:5066", "the beat's HTTP endpoint: http://host:port or unix:///path")
	timeout := flag.Duration("timeout", 5*time.Second, "time allowed for the request")
	flag.Parse()
	n, err := check(*endpoint, *timeout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "unhealthy:", err)
		os.Exit(1)
	}
	fmt.Printf("healthy: %d sflow input(s) running\n", n)
}

// check fetches /inputs/ from endpoint and returns the number of sflow
// inputs, or an error when there are none or the endpoint fails.
func check(endpoint string, timeout time.Duration) (int, error) {
	client, base := httpClient(endpoint, timeout)
	resp, err := client.Get(base + "/inputs/")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET /inputs/: %s", resp.Status)
	}
	var inputs []struct {
		ID    string `json:"id"`
		Input string `json:"input"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&inputs); err != nil {
		return 0, fmt.Errorf("GET /inputs/: %w", err)
	}
	n := 0
	for _, in := range inputs {
		if in.Input == inputType {
			n++
		}
	}
	if n == 0 {
		return 0, errors.New("no sflow input is running")
	}
	return n, nil
}

// httpClient returns a client for endpoint and the base URL to request.
func httpClient(endpoint string, timeout time.Duration) (*http.Client, string) {
	client := &http.Client{Timeout: timeout}
	if sock, ok := strings.CutPrefix(endpoint, "unix://"); ok {
		client.Transport = &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		}}
		return client, "http://unix"
	}
	return client, strings.TrimSuffix(endpoint, "/")
}
