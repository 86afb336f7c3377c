"""Import of paper registers (纸质台账): template, validation, all-or-nothing import."""
