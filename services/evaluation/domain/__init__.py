"""The evaluation's pure rules: parties and grades (`model`), the scheme tree, AHP, formulas, scoring."""
