// Package player holds the player-facing web app (Preact, built by Vite
// into dist/) so the Go binary can serve it at /play and /proof/{periodID}.
//
// dist/ is produced by `npm run build` in this directory and is not
// committed, except the placeholder dist/.gitkeep that keeps `go build`
// working on a machine without Node: then Built reports false and the
// server shows a "not built" page instead.
package player

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var files embed.FS

// FS is the built app, rooted at dist/ (index.html, assets/…).
func FS() fs.FS {
	sub, err := fs.Sub(files, "dist")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return sub
}

// Built reports whether dist/ holds a built app (dist/index.html exists).
func Built() bool {
	st, err := fs.Stat(files, "dist/index.html")
	return err == nil && !st.IsDir()
}
