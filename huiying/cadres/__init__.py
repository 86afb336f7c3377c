"""Cadres going down to stations (预约下站): booked visits of county and department cadres."""
