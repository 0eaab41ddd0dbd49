package player

import (
	"io/fs"
	"testing"
)

func TestFSMatchesBuilt(t *testing.T) {
	_, err := fs.Stat(FS(), "index.html")
	if Built() != (err == nil) {
		t.Fatalf("Built() = %v but stat index.html: %v", Built(), err)
	}
	if _, err := fs.Stat(FS(), ".gitkeep"); err != nil {
		t.Fatalf("dist/.gitkeep is missing from the embedded files: %v", err)
	}
}
