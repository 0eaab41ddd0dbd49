// Package graph is the GraphQL layer: schema files, and resolvers that only
// translate between GraphQL and the domain packages of internal/.
package graph

import (
	"time"

	"prizequiz/ent"
	"prizequiz/internal/auth"
	"prizequiz/internal/bank"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/clock"
	"prizequiz/internal/events"
	"prizequiz/internal/live"
	"prizequiz/internal/participants"
	"prizequiz/internal/play"
	"prizequiz/internal/prizedraw"
	"prizequiz/internal/questionimport"
	"prizequiz/internal/ranking"
	"prizequiz/internal/store"
)

// Resolver holds the domain services the resolvers call.
type Resolver struct {
	Client       *ent.Client
	Clock        clock.Clock
	Auth         *auth.Service
	Banks        *bank.Service
	CampaignSvc  *campaigns.Service
	Play         *play.Service
	Participants *participants.Service
	Draws        *prizedraw.Service
	Imports      *questionimport.Service
	Live         *live.Hub
	Ranks        *ranking.Ranks
}

// NewResolver wires every domain service onto one database and clock.
func NewResolver(db *store.DB, clk clock.Clock) *Resolver {
	c := db.Client
	hub := live.NewHub()
	ranks := ranking.NewRanks(db, clk, nil, hub.Changed)
	return &Resolver{
		Live:         hub,
		Ranks:        ranks,
		Draws:        &prizedraw.Service{DB: db, Clock: clk, Revealed: events.NewBroker[*prizedraw.Proof]()},
		Client:       c,
		Clock:        clk,
		Auth:         newAuth(c, clk),
		Banks:        &bank.Service{Client: c, Clock: clk},
		CampaignSvc:  &campaigns.Service{Client: c, Clock: clk},
		Play:         newPlay(c, clk, ranks),
		Participants: &participants.Service{DB: db, Ranks: ranks},
		Imports:      &questionimport.Service{Client: c, Clock: clk},
	}
}

// newAuth keeps players' resolved tokens for two seconds: every request of
// every player authenticates. A sign-out or a block in this process takes
// effect at once (Watch); another process's within the two seconds. A
// submit checks the block again as it writes (play.Service.Submit).
func newAuth(c *ent.Client, clk clock.Clock) *auth.Service {
	a := &auth.Service{Client: c, Clock: clk, CacheFor: 2 * time.Second}
	a.Watch(c)
	return a
}

// newPlay plays with campaigns and questions kept in memory for two seconds
// between reads: every start and submit reads them, admins rarely change
// them, and this process's own changes take effect at once (Watch).
func newPlay(c *ent.Client, clk clock.Clock, ranks *ranking.Ranks) *play.Service {
	p := &play.Service{Client: c, Clock: clk, Ranks: ranks, CacheFor: 2 * time.Second}
	p.Watch(c)
	return p
}
