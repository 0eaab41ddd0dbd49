// Package dashboard serves the admin web app from inside the binary.
// For now it is a placeholder page; the React app replaces public/ (issue 6).
package dashboard

import (
	"embed"
	"io/fs"
)

//go:embed all:public
var files embed.FS

// FS is the dashboard's files, rooted at the site root.
func FS() fs.FS {
	sub, err := fs.Sub(files, "public")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return sub
}
