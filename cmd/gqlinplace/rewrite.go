package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strings"
)

// inPlace is the function that replaces graphql.MarshalSliceConcurrently;
// it lives in the generated file's package (graph/inplace.go) and takes
// the same arguments.
const inPlace = "marshalInPlace"

// rewrite replaces graphql.MarshalSliceConcurrently with inPlace in the
// list marshallers of src whose elements are plain objects, and returns the
// new source with the names of the functions it changed.
func rewrite(src []byte) ([]byte, []string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, nil, err
	}
	methods := map[string]*ast.FuncDecl{}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv != nil && fn.Body != nil {
			methods[fn.Name.Name] = fn
		}
	}
	type edit struct {
		from, to int
		fn       string
	}
	var edits []edit
	for name, fn := range methods {
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isSelector(call.Fun, "graphql", "MarshalSliceConcurrently") || len(call.Args) == 0 {
				return true
			}
			lit, ok := call.Args[len(call.Args)-1].(*ast.FuncLit)
			if !ok || !plainElements(lit, methods) {
				return true
			}
			edits = append(edits, edit{fset.Position(call.Fun.Pos()).Offset, fset.Position(call.Fun.End()).Offset, name})
			return true
		})
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].from > edits[j].from })
	out := bytes.Clone(src)
	var changed []string
	for _, e := range edits {
		out = append(out[:e.from], append([]byte(inPlace), out[e.to:]...)...)
		changed = append(changed, e.fn)
	}
	sort.Strings(changed)
	return out, changed, nil
}

// plainElements reports whether the element marshaller called by a list's
// closure reaches only object marshallers that resolve no field on its own
// goroutine. Anything else (an interface's type switch, a marshaller it
// cannot find) counts as not plain.
func plainElements(lit *ast.FuncLit, methods map[string]*ast.FuncDecl) bool {
	elem := ""
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			if m := ecMethod(call.Fun); strings.HasPrefix(m, "marshal") {
				elem = m
			}
		}
		return true
	})
	fn := methods[elem]
	if fn == nil {
		return false
	}
	objects := 0
	plain := true
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeSwitchStmt:
			plain = false
		case *ast.CallExpr:
			m := ecMethod(n.Fun)
			if !strings.HasPrefix(m, "_") {
				return true
			}
			objects++
			if obj := methods[m]; obj == nil || resolvesConcurrently(obj) {
				plain = false
			}
		}
		return true
	})
	return plain && objects == 1
}

// resolvesConcurrently reports whether an object marshaller hands any field
// to another goroutine, or dispatches on a type (an interface or union).
func resolvesConcurrently(obj *ast.FuncDecl) bool {
	found := false
	ast.Inspect(obj.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.TypeSwitchStmt:
			found = true
		case *ast.SelectorExpr:
			if strings.Contains(n.Sel.Name, "Concurrently") {
				found = true
			}
		}
		return !found
	})
	return found
}

// ecMethod is m for a call of ec.m, "" otherwise.
func ecMethod(fun ast.Expr) string {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "ec" {
		return ""
	}
	return sel.Sel.Name
}

func isSelector(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}
