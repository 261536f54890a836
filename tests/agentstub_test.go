package tests

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/elastic/elastic-agent-client/v7/pkg/client/chunk"
	"github.com/elastic/elastic-agent-client/v7/pkg/client/mock"
	"github.com/elastic/elastic-agent-client/v7/pkg/proto"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	protobuf "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"
)

// agentStub is a stub Elastic Agent: the control protocol server of
// elastic-agent-client's pkg/client/mock, over a unix socket with mutual
// TLS as Agent does it, whose CheckinV2 pushes the expected state whenever
// the test changes it (as Agent does on a policy change) instead of only in
// reply to a check-in.
type agentStub struct {
	mock.StubServerV2 // Actions, Store, Artifact and Log services

	srv    *grpc.Server
	socket string
	token  string
	tls    stubTLS

	mu       sync.Mutex
	expected *proto.CheckinExpected
	observed *proto.CheckinObserved
	conns    int           // open check-in streams
	changed  chan struct{} // a new expected state or a new observation
	badToken atomic.Bool   // a check-in came with another token
}

// stubTLS is the certificate material of a stub Agent and its client.
type stubTLS struct {
	caPEM, clientCertPEM, clientKeyPEM []byte
	server                             tls.Certificate
	pool                               *x509.CertPool
}

// startAgentStub starts a stub Agent on a unix socket in a temporary
// directory; it requires a client certificate signed by its own CA.
func startAgentStub(t *testing.T) *agentStub {
	t.Helper()
	a := &agentStub{token: mock.NewID(), tls: newStubTLS(t), changed: make(chan struct{}, 1)}
	a.ActionImpl = func(*proto.ActionResponse) error { return nil }
	a.ActionsChan = make(chan *mock.PerformAction, 1)
	dir, err := os.MkdirTemp("", "agent") // short: unix socket paths are limited to 108 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	a.socket = filepath.Join(dir, "agent.sock")
	lis, err := net.Listen("unix", a.socket)
	if err != nil {
		t.Fatal(err)
	}
	creds := credentials.NewTLS(&tls.Config{
		Certificates: []tls.Certificate{a.tls.server},
		ClientCAs:    a.tls.pool,
		ClientAuth:   tls.RequireAndVerifyClientCert,
		MinVersion:   tls.VersionTLS12,
	})
	a.srv = grpc.NewServer(grpc.Creds(creds))
	proto.RegisterElasticAgentServer(a.srv, a)
	proto.RegisterElasticAgentStoreServer(a.srv, &a.StubServerV2)
	proto.RegisterElasticAgentArtifactServer(a.srv, &a.StubServerV2)
	proto.RegisterElasticAgentLogServer(a.srv, &a.StubServerV2)
	go func() { _ = a.srv.Serve(lis) }()
	t.Cleanup(func() {
		a.srv.Stop()
		if a.badToken.Load() {
			t.Error("sflowbeat checked in with a token other than the one of its connection info")
		}
	})
	return a
}

// connInfo is what Agent writes to a component's stdin: where to connect
// and the certificates for mutual TLS.
func (a *agentStub) connInfo(t *testing.T) []byte {
	t.Helper()
	b, err := protobuf.Marshal(&proto.StartUpInfo{
		Addr:       "unix://" + a.socket,
		ServerName: "localhost",
		Token:      a.token,
		CaCert:     a.tls.caPEM,
		PeerCert:   a.tls.clientCertPEM,
		PeerKey:    a.tls.clientKeyPEM,
		Services:   []proto.ConnInfoServices{proto.ConnInfoServices_CheckinV2},
		AgentInfo:  &proto.AgentInfo{Id: "test-agent-id", Version: "9.3.0", Snapshot: false, Mode: proto.AgentManagedMode_MANAGED},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// setExpected makes units the expected state and pushes it to the beat.
func (a *agentStub) setExpected(units ...*proto.UnitExpected) {
	a.mu.Lock()
	a.expected = &proto.CheckinExpected{
		AgentInfo: &proto.AgentInfo{Id: "test-agent-id", Version: "9.3.0"},
		Units:     units,
	}
	a.mu.Unlock()
	a.notify()
}

// notify wakes the CheckinV2 sender.
func (a *agentStub) notify() {
	select {
	case a.changed <- struct{}{}:
	default:
	}
}

// CheckinV2 serves the check-in stream: it records what the beat reports
// and sends the expected state after every report and every change.
func (a *agentStub) CheckinV2(stream proto.ElasticAgent_CheckinV2Server) error {
	a.setConnected(true)
	defer a.setConnected(false)
	errs := make(chan error, 1)
	go func() {
		for {
			obs, err := chunk.RecvObserved(stream)
			if err != nil {
				errs <- err
				return
			}
			if obs.Token != a.token {
				a.badToken.Store(true)
			}
			a.mu.Lock()
			a.observed = obs
			a.mu.Unlock()
			a.notify()
		}
	}()
	for {
		select {
		case err := <-errs:
			return err
		case <-a.changed:
			a.mu.Lock()
			exp := a.expected
			a.mu.Unlock()
			if exp == nil {
				continue
			}
			if err := stream.Send(exp); err != nil {
				return err
			}
		}
	}
}

// unitState returns the last observed state and message of a unit.
func (a *agentStub) unitState(id string) (proto.State, string, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.observed == nil {
		return 0, "", false
	}
	for _, u := range a.observed.Units {
		if u.Id == id {
			return u.State, u.Message, true
		}
	}
	return 0, "", false
}

// setConnected counts a check-in stream that opens or closes; the state
// of a component that connects or disconnects is unknown until it reports.
func (a *agentStub) setConnected(open bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.observed = nil
	if open {
		a.conns++
	} else {
		a.conns--
	}
}

// waitDisconnected waits until no component is connected.
func (a *agentStub) waitDisconnected(t *testing.T, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		a.mu.Lock()
		n := a.conns
		a.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("a component is still connected after %s", timeout)
}

// streamState returns the state and message that a unit's last
// observation reports for one of its streams (libbeat puts them in the
// unit's payload).
func (a *agentStub) streamState(unitID, streamID string) (string, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.observed == nil {
		return "", ""
	}
	for _, u := range a.observed.Units {
		if u.Id != unitID || u.Payload == nil {
			continue
		}
		st, _ := u.Payload.AsMap()["streams"].(map[string]any)[streamID].(map[string]any)
		status, _ := st["status"].(string)
		msg, _ := st["error"].(string)
		return status, msg
	}
	return "", ""
}

// waitStream waits until a stream reports state with a message that
// contains msg.
func (a *agentStub) waitStream(t *testing.T, unitID, streamID, state, msg string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var st, m string
	for time.Now().Before(deadline) {
		if st, m = a.streamState(unitID, streamID); st == state && strings.Contains(m, msg) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("stream %s: %s %q after %s, want %s %q", streamID, st, m, timeout, state, msg)
}

// waitUnit waits until unit id reports state, and returns its message.
func (a *agentStub) waitUnit(t *testing.T, id string, state proto.State, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last proto.State
	var lastMsg string
	for time.Now().Before(deadline) {
		s, msg, ok := a.unitState(id)
		if ok && s == state {
			return msg
		}
		last, lastMsg = s, msg
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("unit %s: state %s (%q) after %s, want %s", id, last, lastMsg, timeout, state)
	return ""
}

// newStubTLS creates a CA, a server certificate for "localhost" and a
// client certificate, as Agent does for each component.
func newStubTLS(t *testing.T) stubTLS {
	t.Helper()
	caKey, caCert := newCert(t, "stub agent CA", nil, nil, true)
	srvKey, srvCert := newCert(t, "localhost", caKey, caCert, false)
	cliKey, cliCert := newCert(t, "sflowbeat", caKey, caCert, false)
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	server, err := tls.X509KeyPair(certPEM(srvCert, caCert), keyPEM(t, srvKey))
	if err != nil {
		t.Fatal(err)
	}
	return stubTLS{
		caPEM: certPEM(caCert), clientCertPEM: certPEM(cliCert), clientKeyPEM: keyPEM(t, cliKey),
		server: server, pool: pool,
	}
}

// newCert returns a key and a certificate for name, signed by caKey/ca
// (self-signed when ca is nil).
func newCert(t *testing.T, name string, caKey *ecdsa.PrivateKey, ca *x509.Certificate, isCA bool) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name},
		DNSNames:              []string{name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  isCA,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	parent, signer := tmpl, key
	if ca != nil {
		parent, signer = ca, caKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

// certPEM encodes certificates as PEM.
func certPEM(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// keyPEM encodes a private key as PEM.
func keyPEM(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
}

// mustStruct converts a map to the protobuf Struct of a unit's config.
func mustStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	s, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
