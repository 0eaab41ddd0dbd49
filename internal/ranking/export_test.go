package ranking

// CatchUpQuery exposes the feed's query to the plan test.
var CatchUpQuery = catchUpQuery
