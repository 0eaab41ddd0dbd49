// Package dashboard holds the admin web app, built by Vite into dist/ and
// embedded into the binary. dist/ is not committed (only a .gitkeep), so
// `go build` works without Node; `make run` builds the app first.
package dashboard

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var files embed.FS

// FS returns the built files, rooted at dist.
func FS() fs.FS {
	sub, err := fs.Sub(files, "dist")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return sub
}

// Built reports whether the app was built before this binary was.
func Built() bool {
	_, err := fs.Stat(FS(), "index.html")
	return err == nil
}
