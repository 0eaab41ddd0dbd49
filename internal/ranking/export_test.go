package ranking

// CatchUpQuery exposes the feed's query to the plan test.
var CatchUpQuery = catchUpQuery

// IndexOf exposes a campaign's index to the benchmarks.
func (r *Ranks) IndexOf(campaignID int) *Index {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.idx[campaignID]
}

// AfterLoadQuery runs fn in every index load after the rows are read.
func (r *Ranks) AfterLoadQuery(fn func()) { r.loaded = fn }
