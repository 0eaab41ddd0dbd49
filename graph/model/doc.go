// Package model holds GraphQL types gqlgen generates that bind to nothing in ent or internal/.
package model
