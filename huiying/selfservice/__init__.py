"""The villager's own channels: self-service submission, tracking and rating, the anonymous suggestion box (意见箱)."""
