package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"prizequiz/internal/auth"
	"prizequiz/internal/cli"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
)

// syncBuffer is a log sink safe to read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serve runs `prizequiz serve args...` until the returned stop is called,
// and waits for /readyz.
func serve(t *testing.T, addr string, args ...string) (logs *syncBuffer, stop func() int) {
	ctx, cancel := context.WithCancel(context.Background())
	logs = &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- cli.Run(ctx, append([]string{"serve"}, args...), logs, logs) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited with %d: %s", code, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server not ready: %s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return logs, func() int { cancel(); return <-done }
}

func activeCampaigns(t *testing.T, addr string) string {
	resp, err := http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(`{"query":"{activeCampaigns{name questionsPerAttempt}}"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(resp.Body)
	return b.String()
}

func TestServeDefaultsToSQLiteWithDemo(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	addr := freeAddr(t)
	t.Setenv("PRIZEQUIZ_ADDR", addr)
	t.Setenv("PRIZEQUIZ_ADMIN_PASSWORD", "")
	logs, stop := serve(t, addr)
	if _, err := os.Stat(store.DefaultSQLiteFile); err != nil {
		t.Fatalf("no %s in the working directory: %v", store.DefaultSQLiteFile, err)
	}
	if got := activeCampaigns(t, addr); !strings.Contains(got, "医保政策全民普及有奖竞答") {
		t.Fatalf("demo campaign missing: %s", got)
	}
	// The generated admin password is in a file only its owner may read,
	// it works, and the log names the file but never the password.
	st, err := os.Stat(auth.DefaultPasswordFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("password file: %v %v", st, err)
	}
	pw := strings.TrimSpace(string(mustRead(t, auth.DefaultPasswordFile)))
	if strings.Contains(logs.String(), pw) || !strings.Contains(logs.String(), auth.DefaultPasswordFile) {
		t.Fatalf("password %q and log %s", pw, logs.String())
	}
	resp, err := http.Post("http://"+addr+"/graphql", "application/json",
		strings.NewReader(`{"query":"mutation($p:String!){adminSignIn(username:\"admin\",password:$p){token}}","variables":{"p":"`+pw+`"}}`))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(body.String(), `"token":"`) {
		t.Fatalf("sign-in with the file's password: %s", body.String())
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, logs.String())
	}
	// A restart keeps the data and seeds nothing twice.
	if err := os.Remove(auth.DefaultPasswordFile); err != nil {
		t.Fatal(err)
	}
	logs, stop = serve(t, addr)
	if strings.Contains(logs.String(), "seeded demo") || strings.Contains(logs.String(), "random password") {
		t.Fatalf("second start seeded again: %s", logs.String())
	}
	if _, err := os.Stat(auth.DefaultPasswordFile); err == nil {
		t.Fatal("second start wrote a password file")
	}
	stop()
}

func TestServePostgresSeedsOnlyOnRequest(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip(storetest.EnvPostgres + " not set")
	}
	t.Chdir(t.TempDir()) // where a generated admin password is written
	for _, demo := range []bool{false, true} {
		t.Run(fmt.Sprint("demo=", demo), func(t *testing.T) {
			url := storetest.PostgresURL(t)
			addr := freeAddr(t)
			args := []string{"--addr", addr, "--database-url", url}
			if demo {
				args = append(args, "--demo")
			}
			_, stop := serve(t, addr, args...)
			defer stop()
			got := activeCampaigns(t, addr)
			if strings.Contains(got, "医保") != demo {
				t.Fatalf("demo=%v: %s", demo, got)
			}
		})
	}
}

func TestVerifyDraw(t *testing.T) {
	good, err := os.ReadFile("../draw/testdata/proof_pool10.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := dir + "/" + name
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A response of the GraphQL API, wrapped as the API returns it.
	wrapped := write("wrapped.json", []byte(`{"data":{"drawProof":`+string(good)+`}}`))
	tampered := write("tampered.json", bytes.Replace(good, []byte(`"winnersCount": 3`), []byte(`"winnersCount": 4`), 1))
	if bytes.Equal(good, mustRead(t, tampered)) {
		t.Fatal("tampering changed nothing; fix the test")
	}
	cases := []struct {
		file     string
		code     int
		contains string
	}{
		{"../draw/testdata/proof_pool10.json", 0, "verified"},
		{wrapped, 0, "verified"},
		{tampered, 1, "winners"},
		{write("junk.json", []byte(`{"hello":1}`)), 1, "no DrawProof"},
	}
	for _, tc := range cases {
		var out, errOut bytes.Buffer
		code := cli.Run(context.Background(), []string{"verify-draw", tc.file}, &out, &errOut)
		if code != tc.code || !strings.Contains(out.String()+errOut.String(), tc.contains) {
			t.Errorf("%s: exit %d, output %s%s", tc.file, code, out.String(), errOut.String())
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
