// Package mototest runs moto (an AWS API emulator) for tests and builds the
// architectures of the design documents on it through aws-sdk-go-v2.
//
// Server starts `python3 -m moto.server -H 127.0.0.1 -p PORT` on a free
// port, once per test binary, and stops it when the tests end (Main). A
// test calls Server(t): it skips, saying why, when python3 or moto is
// missing. .ci/run installs moto. Each test binary has its own server, so
// packages tested side by side never reset each other's state.
package mototest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

var (
	once     sync.Once
	cmd      *exec.Cmd
	endpoint string
	startErr error
)

// Main runs the tests of a package and stops moto after them; call it from
// TestMain: os.Exit(mototest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if cmd != nil && cmd.Process != nil {
		cmd.Process.Kill()
		cmd.Wait()
	}
	return code
}

// Server returns the endpoint URL of the package's moto server, starting it
// on first use; it skips the test when moto cannot run here.
func Server(t testing.TB) string {
	t.Helper()
	once.Do(start)
	if startErr != nil {
		t.Skipf("moto is not available (%v): install it with python3 -m pip install 'moto[server]'", startErr)
	}
	return endpoint
}

func start() {
	if _, err := exec.LookPath("python3"); err != nil {
		startErr = err
		return
	}
	if out, err := exec.Command("python3", "-c", "import moto.server").CombinedOutput(); err != nil {
		startErr = fmt.Errorf("python3 cannot import moto.server: %s", out)
		return
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		startErr = err
		return
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd = exec.Command("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		startErr = err
		return
	}
	endpoint = "http://127.0.0.1:" + strconv.Itoa(port)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(endpoint + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	startErr = fmt.Errorf("moto did not answer on %s within 30 s", endpoint)
}

// Reset empties moto and seeds its id generator.
func Reset(t testing.TB, endpoint string) {
	t.Helper()
	for _, p := range []string{"/moto-api/reset", "/moto-api/seed?a=20261124"} {
		resp, err := http.Post(endpoint+p, "application/json", nil)
		if err != nil {
			t.Fatalf("moto %s: %v", p, err)
		}
		resp.Body.Close()
	}
}

// Env sets the environment the AWS SDK (and the vpcgate CLI) reads to talk
// to moto: fake credentials, region us-east-1, AWS_ENDPOINT_URL, no shared
// files, no instance metadata.
func Env(t *testing.T, endpoint string) {
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_SESSION_TOKEN", "testing")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_DEFAULT_REGION", "us-east-1")
	t.Setenv("AWS_ENDPOINT_URL", endpoint)
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_PROFILE", "")
}

// Config returns an SDK configuration for moto with the default account's
// fake credentials.
func Config(t testing.TB, endpoint string) aws.Config {
	t.Helper()
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion("us-east-1"),
		config.WithBaseEndpoint(endpoint),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("testing", "testing", "testing")),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
