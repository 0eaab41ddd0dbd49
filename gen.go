// Package prizequiz is the module root; its gen.go regenerates ent and gqlgen code.
package prizequiz

//go:generate go run -mod=mod ./ent/entc.go
//go:generate go run -mod=mod github.com/99designs/gqlgen generate
