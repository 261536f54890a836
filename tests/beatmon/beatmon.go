// Package beatmon reads a running sflowbeat's per-input metrics from its
// HTTP monitoring endpoint on a unix socket (http.host: unix://PATH), for
// the end-to-end tests and the load benchmark.
package beatmon

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Input returns the metrics of the input with the given id from /inputs/.
func Input(sock, id string) (map[string]any, error) {
	client := http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		}}}
	resp, err := client.Get("http://unix/inputs/")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var inputs []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&inputs); err != nil {
		return nil, fmt.Errorf("/inputs/: %w", err)
	}
	for _, in := range inputs {
		if in["id"] == id {
			return in, nil
		}
	}
	return nil, fmt.Errorf("no input %q in /inputs/: %v", id, inputs)
}
