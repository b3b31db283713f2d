package gate

import (
	"context"
	"errors"
	"sync"

	"github.com/kms-lab/kms-lab/internal/labctl/awsclient"
)

// ErrStub is Connector's answer: the account is then a row with this
// error, which also shows it was attempted.
var ErrStub = errors.New("stub connector: no AWS here")

// Connector stands in for labctl's AWS connector in the class runners'
// --parallel tests. Each call is an account being worked on (a runner
// holds its slot for the whole account, from connecting on) and passes the
// gate: a runner starting fewer accounts at once makes calls time out, one
// starting more shows it in Peak.
type Connector struct {
	*Gate
	mu       sync.Mutex
	profiles map[string]bool // each call's aws:profile
	regions  map[string]int  // stack region -> calls
}

// NewConnector returns a connector whose gate opens at want calls at once.
func NewConnector(want int) *Connector {
	return &Connector{Gate: New(want), profiles: map[string]bool{}, regions: map[string]int{}}
}

// Connect records what the runner gave it, passes the gate and answers
// ErrStub.
func (c *Connector) Connect(ctx context.Context, opts awsclient.Options, stackRegion string) (*awsclient.Clients, error) {
	c.mu.Lock()
	c.profiles[opts.Profile] = true
	c.regions[stackRegion]++
	c.mu.Unlock()
	c.Pass(ctx)
	return nil, ErrStub
}

// Profiles are the distinct profiles the calls were given.
func (c *Connector) Profiles() map[string]bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.profiles
}

// Regions count the calls by the stack region they were given.
func (c *Connector) Regions() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.regions
}
