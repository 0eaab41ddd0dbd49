package store

// StmtCacheSize is stmtCacheSize, for tests.
const StmtCacheSize = stmtCacheSize
