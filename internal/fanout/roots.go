package fanout

import (
	"encoding/json"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
)

// roots are the root fields of one operation type (Query or Subscription)
// whose answers must not depend on who asks: an operation selecting only
// them may be answered once for everyone.
type roots struct {
	op     ast.Operation
	fields map[string]bool
}

func newRoots(op ast.Operation, fields []string) roots {
	r := roots{op: op, fields: map[string]bool{}}
	for _, f := range fields {
		r.fields[f] = true
	}
	return r
}

// typeName is the schema's root type for r's operations.
func (r roots) typeName() string {
	if r.op == ast.Subscription {
		return "Subscription"
	}
	return "Query"
}

// validate refuses a field that is not there, or from which anything
// carries a directive other than @deprecated: such a directive may be an
// access rule, and a shared answer checks it only for the first asker.
func (r roots) validate(schema *ast.Schema) error {
	root := schema.Types[r.typeName()]
	if root == nil {
		return fmt.Errorf("fanout: the schema has no %s type", r.typeName())
	}
	for name := range r.fields {
		f := root.Fields.ForName(name)
		if f == nil {
			return fmt.Errorf("fanout: no %s field %q", r.typeName(), name)
		}
		if err := checkDirectives(schema, r.typeName()+"."+name, f, map[string]bool{}); err != nil {
			return err
		}
	}
	return nil
}

func checkDirectives(schema *ast.Schema, path string, f *ast.FieldDefinition, seen map[string]bool) error {
	for _, d := range f.Directives {
		if d.Name != "deprecated" {
			return fmt.Errorf("fanout: %s has @%s and cannot be shared", path, d.Name)
		}
	}
	name := f.Type.Name()
	if seen[name] {
		return nil
	}
	seen[name] = true
	def := schema.Types[name]
	if def == nil {
		return nil
	}
	for _, d := range def.Directives {
		if d.Name != "deprecated" {
			return fmt.Errorf("fanout: type %s (in %s) has @%s and cannot be shared", name, path, d.Name)
		}
	}
	types := []*ast.Definition{def}
	if def.IsAbstractType() {
		types = append(types, schema.PossibleTypes[name]...)
	}
	for _, t := range types {
		for _, child := range t.Fields {
			if err := checkDirectives(schema, path+"."+child.Name, child, seen); err != nil {
				return err
			}
		}
	}
	return nil
}

// key identifies what an operation of r's type selecting only r's fields
// returns: its document, operation name and variables. Anything else that
// could change the answer (the caller) is ruled out by the choice of
// fields. ok is false for any other operation.
func (r roots) key(oc *graphql.OperationContext) (string, bool) {
	if oc == nil || oc.Operation == nil || oc.Operation.Operation != r.op {
		return "", false
	}
	fields := graphql.CollectFields(oc, oc.Operation.SelectionSet, []string{r.typeName()})
	if len(fields) == 0 {
		return "", false
	}
	for _, f := range fields {
		if !r.fields[f.Name] {
			return "", false
		}
	}
	vars, err := json.Marshal(oc.Variables) // map keys sorted: a canonical form
	if err != nil {
		return "", false
	}
	return oc.RawQuery + "\x00" + oc.OperationName + "\x00" + string(vars), true
}
