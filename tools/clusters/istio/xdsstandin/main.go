// Command xdsstandin is the local clusters' stand-in for one injected pod's sidecar. It
// is an xDS client carrying the pod's identity, not a proxy: it connects to the
// cluster's istiod as the pod's istio-proxy container would (node ID, metadata, the
// pod's ServiceAccount token on the secure xDS port, istiod verified against the root
// istiod publishes in the pod's namespace), subscribes as Envoy does (CDS, then EDS for
// every EDS cluster, then LDS and RDS) and acknowledges every push. istiod then computes
// and serves that pod's configuration, which its /debug endpoints and istioctl read.
// Nothing ever dials the pod's address; no traffic is carried.
//
// Usage: xdsstandin <dir> <istiod address>
//
// <dir> holds what the harness writes for the pod, as the kubelet and the injector
// would give it to the real container:
//   - node.json: {"type", "ip", "name", "namespace", "serverName", "metadata"};
//   - root-cert.pem: the istio-ca-root-cert ConfigMap of the pod's namespace;
//   - istio-token: a token of the pod's ServiceAccount for the istio-ca audience,
//     reread on every connect so the harness can renew it.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	discovery "github.com/envoyproxy/go-control-plane/envoy/service/discovery/v3"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/protobuf/types/known/structpb"

	"istio.io/istio/pilot/pkg/model"
	"istio.io/istio/pkg/adsc"
	v3 "istio.io/istio/pilot/pkg/xds/v3"
)

type node struct {
	Type       string         `json:"type"`
	IP         string         `json:"ip"`
	Name       string         `json:"name"`
	Namespace  string         `json:"namespace"`
	ServerName string         `json:"serverName"`
	Metadata   map[string]any `json:"metadata"`
}

// tokenFile sends the pod's token as a sidecar's agent does: a bearer token, read anew
// for every stream so a renewed file takes effect on reconnect.
type tokenFile string

func (t tokenFile) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	token, err := os.ReadFile(string(t))
	if err != nil {
		return nil, err
	}
	return map[string]string{"authorization": "Bearer " + strings.TrimSpace(string(token))}, nil
}

func (tokenFile) RequireTransportSecurity() bool { return true }

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: xdsstandin <dir> <istiod address>")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "xdsstandin:", err)
		os.Exit(1)
	}
}

func run(dir, address string) error {
	raw, err := os.ReadFile(filepath.Join(dir, "node.json"))
	if err != nil {
		return err
	}
	var n node
	if err := json.Unmarshal(raw, &n); err != nil {
		return fmt.Errorf("node.json: %v", err)
	}
	meta, err := structpb.NewStruct(n.Metadata)
	if err != nil {
		return fmt.Errorf("node.json metadata: %v", err)
	}
	rootPEM, err := os.ReadFile(filepath.Join(dir, "root-cert.pem"))
	if err != nil {
		return err
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(rootPEM) {
		return fmt.Errorf("root-cert.pem holds no certificate")
	}
	creds := credentials.NewTLS(&tls.Config{RootCAs: roots, ServerName: n.ServerName, MinVersion: tls.VersionTLS12})

	client, err := adsc.New(address, &adsc.ADSConfig{
		Config: adsc.Config{
			ClientName: n.Name + "." + n.Namespace,
			Namespace:  n.Namespace,
			Workload:   n.Name,
			NodeType:   model.NodeType(n.Type),
			IP:         n.IP,
			Meta:       meta,
			GrpcOpts: []grpc.DialOption{
				grpc.WithTransportCredentials(creds),
				grpc.WithPerRPCCredentials(tokenFile(filepath.Join(dir, "istio-token"))),
			},
		},
		InitialDiscoveryRequests: []*discovery.DiscoveryRequest{{TypeUrl: v3.ClusterType}},
	})
	if err != nil {
		return err
	}
	if err := client.Run(); err != nil {
		return err
	}
	fmt.Printf("connected to istiod at %s as %s.%s\n", address, n.Name, n.Namespace)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
	client.Close()
	return nil
}
