// Package graph is the GraphQL layer: schema files, and resolvers that only
// translate between GraphQL and the domain packages of internal/.
package graph

import (
	"prizequiz/ent"
	"prizequiz/internal/auth"
	"prizequiz/internal/bank"
	"prizequiz/internal/campaigns"
	"prizequiz/internal/clock"
	"prizequiz/internal/participants"
	"prizequiz/internal/play"
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
}

// NewResolver wires every domain service onto one client and clock.
func NewResolver(c *ent.Client, clk clock.Clock) *Resolver {
	return &Resolver{
		Client:       c,
		Clock:        clk,
		Auth:         &auth.Service{Client: c, Clock: clk},
		Banks:        &bank.Service{Client: c, Clock: clk},
		CampaignSvc:  &campaigns.Service{Client: c, Clock: clk},
		Play:         &play.Service{Client: c, Clock: clk},
		Participants: &participants.Service{Client: c},
	}
}
