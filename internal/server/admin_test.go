package server_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"prizequiz/internal/auth"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
)

func (e *env) signIn(user, pw string) response {
	return e.do("", `mutation($u:String!,$p:String!){adminSignIn(username:$u,password:$p){token}}`, map[string]any{"u": user, "p": pw}, nil)
}

func TestAdminAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		owner := e.adminToken()
		var created struct{ CreateAdmin struct{ ID string } }
		e.must(owner, `mutation{createAdmin(input:{username:"editor1",password:"first-password",role:EDITOR}){id username role disabled}}`, nil, &created)
		id := created.CreateAdmin.ID
		if r := e.do(owner, `mutation{createAdmin(input:{username:"editor1",password:"first-password",role:EDITOR}){id}}`, nil, nil); r.code() != "BAD_USER_INPUT" {
			t.Fatalf("duplicate username: %s", r.raw)
		}
		if r := e.do(owner, `mutation{createAdmin(input:{username:"short",password:"1234",role:EDITOR}){id}}`, nil, nil); r.code() != "BAD_USER_INPUT" {
			t.Fatalf("short password: %s", r.raw)
		}
		token := func(pw string) string {
			var out struct{ AdminSignIn struct{ Token string } }
			e.must("", `mutation($p:String!){adminSignIn(username:"editor1",password:$p){token}}`, map[string]any{"p": pw}, &out)
			return out.AdminSignIn.Token
		}
		me := func(tok string) string { return e.do(tok, `{me{username role}}`, nil, nil).code() }

		// Sign-out revokes exactly that token.
		t1, t2 := token("first-password"), token("first-password")
		e.must(t1, `mutation{adminSignOut}`, nil, nil)
		if me(t1) != "UNAUTHENTICATED" || me(t2) != "" {
			t.Fatalf("after sign-out: %s %s", me(t1), me(t2))
		}
		// A role change takes effect at once.
		e.must(owner, `mutation($id:ID!){setAdminRole(id:$id,role:VIEWER){role}}`, map[string]any{"id": id}, nil)
		if r := e.do(t2, `mutation{createQuestionBank(input:{name:"b"}){id}}`, nil, nil); r.code() != "FORBIDDEN" {
			t.Fatalf("viewer created a bank: %s", r.raw)
		}
		// Resetting the password revokes every token; the new one works.
		e.must(owner, `mutation($id:ID!){resetAdminPassword(id:$id,password:"second-password"){id}}`, map[string]any{"id": id}, nil)
		if me(t2) != "UNAUTHENTICATED" || e.signIn("editor1", "first-password").code() != "UNAUTHENTICATED" {
			t.Fatal("old password or token still works after reset")
		}
		t3 := token("second-password")
		// Disabling revokes tokens and refuses sign-in.
		e.must(owner, `mutation($id:ID!){setAdminDisabled(id:$id,disabled:true){disabled}}`, map[string]any{"id": id}, nil)
		if me(t3) != "UNAUTHENTICATED" || e.signIn("editor1", "second-password").code() != "UNAUTHENTICATED" {
			t.Fatal("disabled account still works")
		}
		// The last active owner cannot be demoted or disabled.
		var list struct {
			Admins []struct{ ID, Username string }
		}
		e.must(owner, `{admins{id username role disabled}}`, nil, &list)
		var ownerID string
		for _, a := range list.Admins {
			if a.Username == "admin" {
				ownerID = a.ID
			}
		}
		for _, q := range []string{
			`mutation($id:ID!){setAdminRole(id:$id,role:EDITOR){id}}`,
			`mutation($id:ID!){setAdminDisabled(id:$id,disabled:true){id}}`,
		} {
			if r := e.do(owner, q, map[string]any{"id": ownerID}, nil); r.code() != "BAD_USER_INPUT" {
				t.Fatalf("last owner: %s", r.raw)
			}
		}
		// Every one of those mutations is in the audit log, without secrets.
		var audit struct {
			AuditEvents struct {
				TotalCount int
				Edges      []struct {
					Node struct {
						Action, Actor, Subject string
						Payload                map[string]any
					}
				}
			}
		}
		e.must(owner, `{auditEvents(first:50){totalCount edges{node{action actor subject at clientAddress payload}}}}`, nil, &audit)
		var actions []string
		for _, ed := range audit.AuditEvents.Edges {
			actions = append(actions, ed.Node.Action)
			if ed.Node.Actor != "admin" && ed.Node.Actor != "editor1" {
				t.Errorf("actor %q", ed.Node.Actor)
			}
		}
		got := strings.Join(actions, ",")
		want := "setAdminDisabled,resetAdminPassword,setAdminRole,adminSignOut,createAdmin" // newest first; refused ones are absent
		if got != want {
			t.Fatalf("audit actions %s, want %s", got, want)
		}
		raw := e.do(owner, `{auditEvents(first:50){edges{node{payload}}}}`, nil, nil).raw
		for _, secret := range []string{"first-password", "second-password", "$2a$"} {
			if strings.Contains(raw, secret) {
				t.Fatalf("audit log holds %q: %s", secret, raw)
			}
		}
		// Nothing edits or deletes the log through the API.
		var mutations struct {
			Schema struct {
				MutationType struct{ Fields []struct{ Name string } }
			} `json:"__schema"`
		}
		e.must(owner, `{__schema{mutationType{fields{name}}}}`, nil, &mutations)
		for _, f := range mutations.Schema.MutationType.Fields {
			if strings.Contains(strings.ToLower(f.Name), "audit") {
				t.Fatalf("mutation %s touches the audit log", f.Name)
			}
		}
	})
}

func TestSignInSlowsDownThenLocks(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	codes := func(n int) string {
		var out []string
		for range n {
			out = append(out, e.signIn("admin", "wrong-password").code())
		}
		return strings.Join(out, " ")
	}
	// Two free failures, the third sets a 1 s wait.
	if got := codes(4); got != "UNAUTHENTICATED UNAUTHENTICATED UNAUTHENTICATED RATE_LIMITED" {
		t.Fatalf("first failures: %s", got)
	}
	// While the wait lasts even the right password is refused.
	if code := e.signIn("admin", adminPassword).code(); code != "RATE_LIMITED" {
		t.Fatalf("right password during the wait: %s", code)
	}
	for i := auth.SlowDownAfter; i < auth.LockAfter; i++ {
		e.clock.Advance(time.Duration(1<<(i-auth.SlowDownAfter))*time.Second + time.Millisecond)
		if code := e.signIn("admin", "wrong-password").code(); code != "UNAUTHENTICATED" {
			t.Fatalf("failure %d after waiting: %s", i+1, code)
		}
	}
	e.clock.Advance(10 * time.Minute)
	if code := e.signIn("admin", adminPassword).code(); code != "RATE_LIMITED" {
		t.Fatalf("locked account signed in after 10 min: %s", code)
	}
	e.clock.Advance(auth.LockFor)
	if r := e.signIn("admin", adminPassword); len(r.Errors) > 0 {
		t.Fatalf("after the lock: %s", r.raw)
	}
	// Success resets the count.
	if code := e.signIn("admin", "wrong-password").code(); code != "UNAUTHENTICATED" {
		t.Fatal(fmt.Sprint("count not reset: ", code))
	}
}
