// Package cacertsloader lets Istio's own code judge a cacerts bundle: it loads the
// directory named by CACERTS_DIR exactly as istiod loads /etc/cacerts for a plugged-in CA.
package cacertsloader

import (
	"os"
	"path/filepath"
	"testing"

	"istio.io/istio/security/pkg/pki/util"
)

func TestIstioLoadsCacerts(t *testing.T) {
	dir := os.Getenv("CACERTS_DIR")
	if dir == "" {
		t.Skip("CACERTS_DIR is not set; the TypeScript suite sets it to a bundle made by the istio-mesh CLI")
	}
	file := func(name string) string { return filepath.Join(dir, name) }
	bundle, err := util.NewVerifiedKeyCertBundleFromFile(
		file("ca-cert.pem"), file("ca-key.pem"), []string{file("cert-chain.pem")}, file("root-cert.pem"), "")
	if err != nil {
		t.Fatalf("istio rejected the bundle in %s: %v", dir, err)
	}
	cert, _, _, _ := bundle.GetAll()
	if !cert.IsCA {
		t.Fatalf("istio loaded %s but its signing certificate is not a CA", dir)
	}
	t.Logf("istio accepted %s: subject %s, expires %s", dir, cert.Subject, cert.NotAfter)
}
