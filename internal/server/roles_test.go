package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"prizequiz/graph"
	"prizequiz/internal/clock"
	"prizequiz/internal/store/storetest"
)

// public operations anyone may call; every other Query and Mutation field
// must carry @hasRole.
var public = []string{
	"signInGuest", "signInWeChat", "startAttempt", "submitAttempt", "adminSignIn",
	"activeCampaigns", "campaign", "leaderboard", "myStanding", "myAttemptsLeftToday",
	"period", "winners", "drawProof", "myPrizes", "claimPrize",
	"node", "nodes", // resolved for admins only, checked below
}

// dummy builds a well-formed value of type t: ids that name nothing, short
// strings, small numbers, so authorisation is decided before any lookup.
func dummy(s *ast.Schema, t *ast.Type) string {
	if t.Elem != nil {
		return "[" + dummy(s, t.Elem) + "]"
	}
	switch t.NamedType {
	case "ID":
		return `"999999999"`
	case "String":
		return `"x"`
	case "Int":
		return "1"
	case "Boolean":
		return "true"
	case "Time":
		return `"2030-01-01T00:00:00Z"`
	case "Cursor":
		return "null"
	case "Upload":
		return "$upload" // sent as a multipart file part
	}
	def := s.Types[t.NamedType]
	switch def.Kind {
	case ast.Enum:
		return def.EnumValues[0].Name
	case ast.InputObject:
		var fields []string
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil {
				fields = append(fields, f.Name+":"+dummy(s, f.Type))
			}
		}
		return "{" + strings.Join(fields, ",") + "}"
	}
	return "null"
}

func operation(s *ast.Schema, kind string, f *ast.FieldDefinition) string {
	var args []string
	for _, a := range f.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			args = append(args, a.Name+":"+dummy(s, a.Type))
		}
	}
	call := f.Name
	if len(args) > 0 {
		call += "(" + strings.Join(args, ",") + ")"
	}
	if def := s.Types[f.Type.Name()]; def.Kind == ast.Object || def.Kind == ast.Interface {
		call += "{__typename}"
	}
	if strings.Contains(call, "$upload") {
		return kind + "($upload:Upload!){" + call + "}"
	}
	return kind + "{" + call + "}"
}

// call runs an operation of the matrix, as a multipart request when it
// uploads a file.
func (e *env) call(token, op string) string {
	if !strings.Contains(op, "$upload") {
		return e.do(token, op, nil, nil).code()
	}
	return e.multipart(token, op, "upload", "x.csv", []byte("题型,题干\n")).code()
}

var rank = map[string]int{"VIEWER": 1, "EDITOR": 2, "OWNER": 3}

// TestRoleMatrix tries every admin operation with each role, a player token
// and no token.
func TestRoleMatrix(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	owner := e.adminToken()
	tokens := map[string]string{"OWNER": owner}
	for _, role := range []string{"EDITOR", "VIEWER"} {
		name := strings.ToLower(role) + "1"
		e.must(owner, fmt.Sprintf(`mutation{createAdmin(input:{username:%q,password:"password-%s",role:%s}){id}}`, name, name, role), nil, nil)
		var out struct{ AdminSignIn struct{ Token string } }
		e.must("", fmt.Sprintf(`mutation{adminSignIn(username:%q,password:"password-%s"){token}}`, name, name), nil, &out)
		tokens[role] = out.AdminSignIn.Token
	}
	player := e.guest("player")
	schema := graph.NewSchema(graph.NewResolver(db, clock.Real{})).Schema()

	var checked []string
	for _, kind := range []string{"query", "mutation"} {
		root := schema.Query
		if kind == "mutation" {
			root = schema.Mutation
		}
		for _, f := range root.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			d := f.Directives.ForName("hasRole")
			if d == nil {
				if !slices.Contains(public, f.Name) {
					t.Errorf("%s %s has no @hasRole and is not a public operation", kind, f.Name)
				}
				continue
			}
			if f.Name == "adminSignOut" {
				continue // revokes the caller's token; covered in TestAdminAccounts
			}
			need := d.Arguments.ForName("role").Value.Raw
			op := operation(schema, kind, f)
			checked = append(checked, f.Name)
			t.Run(f.Name, func(t *testing.T) {
				for _, role := range []string{"OWNER", "EDITOR", "VIEWER"} {
					code := e.call(tokens[role], op)
					allowed := rank[role] >= rank[need]
					if allowed && (code == "FORBIDDEN" || code == "UNAUTHENTICATED") {
						t.Errorf("%s refused to %s: %s", op, role, code)
					}
					if !allowed && code != "FORBIDDEN" {
						t.Errorf("%s as %s: got %q, want FORBIDDEN", op, role, code)
					}
				}
				if code := e.call(player, op); code != "FORBIDDEN" {
					t.Errorf("%s as player: %q, want FORBIDDEN", op, code)
				}
				if code := e.call("", op); code != "UNAUTHENTICATED" {
					t.Errorf("%s without token: %q, want UNAUTHENTICATED", op, code)
				}
			})
		}
	}
	for _, must := range []string{"createQuestionBank", "createQuestion", "createCampaign", "updateCampaign", "createAdmin",
		"setAdminRole", "questions", "participants", "auditEvents", "blockParticipant", "deleteQuestion"} {
		if !slices.Contains(checked, must) {
			t.Errorf("%s was not in the matrix", must)
		}
	}
}
