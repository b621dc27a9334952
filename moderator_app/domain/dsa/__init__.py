"""The Digital Services Act rules of the workstation: statements of reasons (Art 17) and their
Transparency Database form, notices (Art 16), trusted flaggers (Art 22), complaints (Art 20), the
repeat-offender policy (Art 23) and the transparency report (Art 15/24). Standard library only."""
