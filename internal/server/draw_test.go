package server_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"

	"prizequiz/internal/draw"
	"prizequiz/internal/store"
	"prizequiz/internal/store/storetest"
)

// TestDrawThroughTheAPI: a campaign with 5-second periods, played, drawn,
// revealed to a websocket subscriber, published, claimed and exported.
func TestDrawThroughTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		owner := e.adminToken()
		var b struct{ CreateQuestionBank struct{ ID string } }
		e.must(owner, `mutation{createQuestionBank(input:{name:"b"}){id}}`, nil, &b)
		for i := range 5 {
			e.must(owner, `mutation($b:ID!,$s:String!){createQuestion(input:{bankID:$b,kind:TRUE_FALSE,stem:$s,options:[],answer:["A"]}){id}}`,
				map[string]any{"b": b.CreateQuestionBank.ID, "s": fmt.Sprintf("判断%d", i)}, nil)
		}
		now := e.clock.Now()
		var c struct {
			CreateCampaign struct {
				ID      string
				Periods []struct{ ID string }
			}
		}
		e.must(owner, `mutation($in:CreateCampaignInput!){createCampaign(input:$in){id periods{id}}}`, map[string]any{"in": map[string]any{
			"name": "短周期", "bankID": b.CreateQuestionBank.ID, "startsAt": now.Format(time.RFC3339), "endsAt": now.Add(10 * time.Second).Format(time.RFC3339),
			"periodSeconds": 5, "timeLimitSeconds": 2, "poolSize": 3, "winnersPerPeriod": 2, "entropySource": "declared: 本期福彩3D开奖号码",
		}}, &c)
		pid := c.CreateCampaign.Periods[0].ID
		if _, err := e.res.Draws.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
		var period struct {
			Period struct {
				Status, CommitmentRecord, EntropySource string
				PoolFile                                *string
			}
		}
		e.must("", `query($p:ID!){period(id:$p){status commitmentRecord commitmentDigest entropySource poolFile}}`, map[string]any{"p": pid}, &period)
		if period.Period.Status != "OPEN" || !strings.Contains(period.Period.CommitmentRecord, "entropy=declared: 本期福彩3D开奖号码\n") || period.Period.PoolFile != nil {
			t.Fatalf("open period %+v", period.Period)
		}
		if strings.Contains(e.do(owner, `query($p:ID!){period(id:$p){commitmentRecord}}`, map[string]any{"p": pid}, nil).raw, "serverSeed") {
			t.Fatal("S readable before the draw")
		}
		tokens := map[string]string{}
		for i := range 4 {
			tok := e.guest(fmt.Sprintf("玩家%d", i))
			var st struct{ StartAttempt attempt }
			e.must(tok, startQ, map[string]any{"c": c.CreateCampaign.ID}, &st)
			var ans []map[string]any
			for _, q := range st.StartAttempt.Questions {
				ans = append(ans, map[string]any{"questionID": q.ID, "choices": []string{"A"}})
			}
			e.clock.Advance(time.Duration(100*(i+1)) * time.Millisecond)
			var sub struct {
				SubmitAttempt struct {
					Standing struct{ Participant struct{ PublicID string } }
				}
			}
			e.must(tok, submitQ, map[string]any{"a": st.StartAttempt.ID, "ans": ans}, &sub)
			tokens[sub.SubmitAttempt.Standing.Participant.PublicID] = tok
		}
		if r := e.do(owner, `mutation($p:ID!){runDraw(periodID:$p,externalEntropy:"123"){order}}`, map[string]any{"p": pid}, nil); r.code() != "DRAW_NOT_READY" {
			t.Fatalf("draw before the cutoff: %s", r.raw)
		}
		e.clock.Set(now.Add(5 * time.Second))

		ws := client.New(e.h, client.Path("/graphql"))
		sub := ws.WebsocketWithPayload(`subscription($p:ID!){drawRevealed(periodID:$p){order winnersCount winnersDigest}}`,
			map[string]any{"authorization": "Bearer " + owner}, client.Var("p", pid))
		defer sub.Close()

		e.must(owner, `mutation{createAdmin(input:{username:"ed",password:"editor-password",role:EDITOR}){id}}`, nil, nil)
		var edTok struct{ AdminSignIn struct{ Token string } }
		e.must("", `mutation{adminSignIn(username:"ed",password:"editor-password"){token}}`, nil, &edTok)
		if r := e.do(edTok.AdminSignIn.Token, `mutation($p:ID!){runDraw(periodID:$p,externalEntropy:"123"){order}}`, map[string]any{"p": pid}, nil); r.code() != "FORBIDDEN" {
			t.Fatalf("editor ran the draw: %s", r.raw)
		}
		var drawn struct {
			RunDraw struct {
				Order         []string
				WinnersCount  int
				WinnersDigest string
			}
		}
		e.must(owner, `mutation($p:ID!){runDraw(periodID:$p,externalEntropy:"123"){order winnersCount winnersDigest}}`, map[string]any{"p": pid}, &drawn)
		var revealed struct {
			DrawRevealed struct {
				Order         []string
				WinnersCount  int
				WinnersDigest string
			}
		}
		if err := sub.Next(&revealed); err != nil {
			t.Fatalf("drawRevealed: %v", err)
		}
		if len(drawn.RunDraw.Order) != 3 || drawn.RunDraw.WinnersCount != 2 || strings.Join(revealed.DrawRevealed.Order, ",") != strings.Join(drawn.RunDraw.Order, ",") {
			t.Fatalf("drawn %+v revealed %+v", drawn.RunDraw, revealed.DrawRevealed)
		}
		if r := e.do(owner, `mutation($p:ID!){runDraw(periodID:$p,externalEntropy:"456"){order}}`, map[string]any{"p": pid}, nil); r.code() != "DRAW_ALREADY_DONE" {
			t.Fatalf("second draw: %s", r.raw)
		}

		// The public proof verifies offline.
		raw := e.do("", `query($p:ID!){drawProof(periodID:$p){algorithm commitmentRecord commitmentDigest poolFile poolDigest entropySource entropy entropyDigest serverSeed order winnersCount winnersDigest drawnAt}}`,
			map[string]any{"p": pid}, nil)
		var proof struct{ DrawProof draw.Proof }
		if err := decodeData(raw, &proof); err != nil {
			t.Fatal(err)
		}
		if err := draw.VerifyProof(proof.DrawProof); err != nil {
			t.Fatalf("published proof: %v", err)
		}

		var winners struct{ Winners []struct{ DrawOrder int } }
		e.must("", `query($p:ID!){winners(periodID:$p){drawOrder participant{publicID nickname} alternate}}`, map[string]any{"p": pid}, &winners)
		if len(winners.Winners) != 0 {
			t.Fatal("winners public before publishing")
		}
		e.must(owner, `mutation($p:ID!){publishWinners(periodID:$p){status publishedAt}}`, map[string]any{"p": pid}, nil)
		e.must("", `query($p:ID!){winners(periodID:$p){drawOrder participant{publicID nickname} alternate}}`, map[string]any{"p": pid}, &winners)
		if len(winners.Winners) != 2 {
			t.Fatalf("published winners %+v", winners)
		}

		// The first winner claims through the API.
		winnerTok := tokens[drawn.RunDraw.Order[0]]
		var mine struct{ MyPrizes []struct{ ID string } }
		e.must(winnerTok, `{myPrizes{id drawOrder prizeStatus period{index}}}`, nil, &mine)
		if len(mine.MyPrizes) != 1 {
			t.Fatalf("myPrizes %+v", mine)
		}
		claim := `mutation($w:ID!,$phone:String!){claimPrize(winnerID:$w,name:"李四",phone:$phone,address:"江苏省南通市"){id claimedAt}}`
		if r := e.do(winnerTok, claim, map[string]any{"w": mine.MyPrizes[0].ID, "phone": "1234"}, nil); r.code() != "BAD_USER_INPUT" {
			t.Fatalf("bad phone: %s", r.raw)
		}
		e.must(winnerTok, claim, map[string]any{"w": mine.MyPrizes[0].ID, "phone": "13912345678"}, nil)
		if r := e.do(e.guest("x"), claim, map[string]any{"w": mine.MyPrizes[0].ID, "phone": "13912345678"}, nil); r.code() != "NOT_FOUND" {
			t.Fatalf("claim by another player: %s", r.raw)
		}
		// Contacts: for editors and owners, not viewers or the public.
		q := `query($p:ID!){periodWinners(periodID:$p){drawOrder claimPhone}}`
		if !strings.Contains(e.do(owner, q, map[string]any{"p": pid}, nil).raw, "+8613912345678") {
			t.Fatal("owner cannot see the claim")
		}
		if strings.Contains(e.do("", `query($p:ID!){winners(periodID:$p){participant{nickname publicID}}}`, map[string]any{"p": pid}, nil).raw, "1391234") {
			t.Fatal("phone in the public list")
		}
		for format, want := range map[string]string{"csv": "+8613912345678", "xlsx": "PK"} {
			req, _ := http.NewRequest("GET", e.srv.URL+"/api/export/periods/"+pid+"/winners?format="+format, nil)
			req.Header.Set("Authorization", "Bearer "+owner)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
				t.Fatalf("export %s: %d %.100q", format, resp.StatusCode, body)
			}
		}
		resp, err := http.Get(e.srv.URL + "/api/export/periods/" + pid + "/winners")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("anonymous export: %d", resp.StatusCode)
		}
	})
}
