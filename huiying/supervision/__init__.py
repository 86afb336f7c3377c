"""Supervision (接受监督): supervisors, their ratings, township review, the three rates."""
