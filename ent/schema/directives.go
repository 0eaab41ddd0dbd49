// Package schema holds the ent schemas of prizequiz (SPEC §2).
package schema

import (
	"entgo.io/contrib/entgql"
	"github.com/vektah/gqlparser/v2/ast"
)

// hasRole is the @hasRole directive of graph/auth.graphqls: the one place
// admin access is declared.
func hasRole(role string) entgql.Directive {
	return entgql.NewDirective("hasRole", &ast.Argument{
		Name:  "role",
		Value: &ast.Value{Raw: role, Kind: ast.EnumValue},
	})
}
