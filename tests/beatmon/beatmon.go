// Package beatmon reads a running sflowbeat's metrics from its HTTP
// monitoring endpoint on a unix socket (http.host: unix://PATH), for the
// end-to-end tests and the load benchmark.
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
	var inputs []map[string]any
	if err := get(sock, "/inputs/", &inputs); err != nil {
		return nil, err
	}
	for _, in := range inputs {
		if in["id"] == id {
			return in, nil
		}
	}
	return nil, fmt.Errorf("no input %q in /inputs/: %v", id, inputs)
}

// Stats returns the beat's metrics from /stats (libbeat's, and sflowbeat's
// under "sflowbeat").
func Stats(sock string) (map[string]any, error) {
	var stats map[string]any
	return stats, get(sock, "/stats", &stats)
}

// get decodes the JSON that the endpoint on sock answers at path.
func get(sock, path string, into any) error {
	client := http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		}}}
	resp, err := client.Get("http://unix" + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
