// Package prizequiz is the module root; its gen.go regenerates ent and gqlgen
// code, then marshals gqlgen's lists of plain objects in place
// (cmd/gqlinplace).
package prizequiz

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go run -mod=mod github.com/99designs/gqlgen generate
//go:generate go run -mod=mod ./cmd/gqlinplace graph/generated.go
