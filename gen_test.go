package prizequiz

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// generatedDirs hold generated code (and the schema entgql writes).
var generatedDirs = []string{"ent", "graph"}

// TestGeneratedCodeIsCurrent regenerates ent and gqlgen code in a copy of
// the module and fails when any committed file would change.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating takes a while")
	}
	tmp := t.TempDir()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == "dist") {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.HasSuffix(path, ".db") || strings.Contains(path, ".db-") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		dst := filepath.Join(tmp, path)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "generate", "./...")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go generate: %v\n%s", err, out)
	}
	for _, dir := range generatedDirs {
		committed := files(t, dir)
		regenerated := files(t, filepath.Join(tmp, dir))
		for name, want := range regenerated {
			got, ok := committed[name]
			switch {
			case !ok:
				t.Errorf("%s/%s: generated but not committed; run go generate ./...", dir, name)
			case !bytes.Equal(got, want):
				t.Errorf("%s/%s: out of date; run go generate ./...", dir, name)
			}
		}
		for name := range committed {
			if _, ok := regenerated[name]; !ok {
				t.Errorf("%s/%s: committed but no longer generated", dir, name)
			}
		}
	}
}

func files(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		out[rel] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
