"""Cascaded training (层层培训): tasks passed down the levels, attendance and completion."""
