"""Public notice board (公示牌) and the public unit page: posting batches, objections, anonymised results."""
