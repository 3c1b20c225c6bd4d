"""Learning paths, enrolment, completions and certifications (Min læring)."""
